// Saved-result reader (app/core/SavedResult::fromJson): an .idresult file someone may have sent you
// (`inference-desk --open FILE`). Input: the file's bytes. A result read must write back into a file that
// reads again.
#include "FuzzSupport.h"
#include "SavedResult.h"

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const std::optional<SavedResult> saved = SavedResult::fromJson(fuzz::bytes(data, size), &error);
    if (!saved) {
        fuzz::check(!error.isEmpty(), "a refused result comes with a sentence");
        return 0;
    }
    (void)saved->result.text();
    (void)saved->result.exitCode();
    QString againError;
    const std::optional<SavedResult> again = SavedResult::fromJson(saved->toJson(), &againError);
    fuzz::check(again.has_value(), "a result we wrote reads again");
    return 0;
}
