// Kestra flow reader (app/core/KestraFlow::parse): a flow YAML someone may have sent you. Input: the
// YAML. read('...') resolves against a fixed folder holding tests/data/flows; secret('...') resolves to
// a fixed fake value. Every task read is then written back (toYaml) and turned into a preset.
#include "FuzzSupport.h"
#include "KestraFlow.h"
#include "Preset.h"

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray yaml = fuzz::bytes(data, size);
    const KestraFlow::SecretResolver secrets = [](const QString &) -> std::optional<QString> {
        return QStringLiteral("fuzz-secret-value");
    };
    QString error;
    const std::optional<KestraFlow> flow =
        KestraFlow::parse(yaml, QStringLiteral(IDESK_FUZZ_FLOWS_DIR), secrets, &error, QStringLiteral("fuzz.yaml"));
    if (!flow) {
        fuzz::check(!error.isEmpty(), "a refused flow comes with a sentence");
        return 0;
    }
    (void)flow->taskIds();
    for (const KestraTask &task : flow->tasks)
        (void)Preset::fromKestraTask(task).toJsonBytes();
    (void)flow->toYaml();
    return 0;
}
