// Preset reader (app/core/Preset::fromJsonBytes): a preset file from the presets folder or an import.
// Input: the file's bytes. A preset read must write back (toJsonBytes) into a file that reads again.
#include "FuzzSupport.h"
#include "Preset.h"

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const std::optional<Preset> preset = Preset::fromJsonBytes(fuzz::bytes(data, size), &error);
    if (!preset) {
        fuzz::check(!error.isEmpty(), "a refused preset comes with a sentence");
        return 0;
    }
    (void)preset->tokenLikeValue();
    const QByteArray written = preset->toJsonBytes();
    QString againError;
    const std::optional<Preset> again = Preset::fromJsonBytes(written, &againError);
    fuzz::check(again.has_value(), "a preset we wrote reads again");
    return 0;
}
