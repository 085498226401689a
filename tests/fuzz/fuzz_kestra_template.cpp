// Kestra template expressions ({{ secret('...') }}, {{ read('...') }}, {% raw %}...): the text of an
// Inference task's `inputs`, read through KestraFlow::parse. Input: the text, put verbatim into a block
// scalar of a fixed flow (so the fuzzer works on expressions, not on YAML syntax).
#include "FuzzSupport.h"
#include "KestraFlow.h"

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray yaml = "id: fuzz\nnamespace: company.team\ntasks:\n"
                      "  - id: t\n"
                      "    type: io.kestra.plugin.huggingface.Inference\n"
                      "    model: m/m\n"
                      "    apiKey: \"{{ secret('HUGGINGFACE_API_KEY') }}\"\n"
                      "    inputs: |4-\n";
    const QByteArray text = fuzz::bytes(data, size);
    for (const QByteArray &line : text.split('\n'))
        yaml += "        " + line + "\n";
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
    (void)flow->toYaml();
    return 0;
}
