#pragma once

#include "InferenceRequest.h"

#include <QString>
#include <QStringList>

namespace idesk::cli {

// How one request is sent and printed by the CLI; shared by `call`, `run` and `presets run`.
struct CallOptions
{
    QString format = QStringLiteral("pretty"); // pretty | json | summary
    QString outputFile;                        // --output FILE ("" = stdout, binary answers to a named file)
    QString saveResultFile;                    // --save-result FILE
    bool validate = true;                      // false with --no-validate
    bool explicitEndpoint = false;             // the person named the endpoint for this call (token may go there)
    QString token;                             // resolved token ("" = none); never printed
    QString caBundle;                          // --ca-bundle or SSL_CERT_FILE
    bool stream = false;                       // --stream
};

// Validates (unless disabled), sends, prints the answer (stdout) or the error (stderr).
// Returns the exit code: 0 success, 1 API error, 2 bad usage or input, 3 network failure or timeout.
int executeRequest(const InferenceRequest &request, const CallOptions &options);

// Token for a call: HF_TOKEN, then the keychain (when available). Never printed.
QString resolveToken();

// Writes a message to stderr, prefixed with "inference-desk-cli: ".
void printError(const QString &message);

} // namespace idesk::cli
