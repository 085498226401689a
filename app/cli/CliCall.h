#pragma once

#include "InferenceRequest.h"
#include "InferenceResult.h"

#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace idesk {
class ChatStreamAssembler;
class InferenceClient;
}

namespace idesk::cli {

// How one request is sent and printed by the CLI; shared by `call`, `run` and `presets run`.
struct CallOptions
{
    QString format = QStringLiteral("pretty"); // pretty | json | summary | raw (a provider's own answer)
    QString outputFile;                        // --output FILE ("" = stdout, binary answers to a named file)
    QString saveResultFile;                    // --save-result FILE
    bool validate = true;                      // false with --no-validate
    bool knownParametersOnly = false; // with validate and a task: refuse names the task does not know
                                      // (`call`, where a person typed them; flows and presets keep extras)
    // Origins other than Hugging Face's the person chose for the token on the command line: --endpoint's
    // and every --allow-host (the app's approved origins are added by configureClient()).
    QStringList allowedOrigins;
    QString token;                 // resolved token ("" = none); never printed
    QString caBundle;              // --ca-bundle or SSL_CERT_FILE
    bool stream = false;           // --stream
    bool retryWhileLoading = true; // false with --no-retry
    qint64 jobTimeoutMs = 0;       // --job-timeout: a provider job as a whole (0: ProviderJob's default)
    bool recordHistory = true;     // false with --no-history or the setting "history/enabled" off
    QString historySource = QStringLiteral("cli"); // the history's "source": cli, preset:NAME, flow:FILE
};

// Validates (unless disabled), sends, prints the answer (stdout) or the error (stderr).
// Returns the exit code: 0 success, 1 API error, 2 bad usage or input, 3 network failure or timeout.
int executeRequest(const InferenceRequest &request, const CallOptions &options);

// Token for a call: HF_TOKEN, then the keychain (when available). Never printed.
QString resolveToken();

// Options every sending command shares (call, chat, run, presets run): --endpoint, --allow-host (repeatable),
// --no-validate, --format,
// --output, --save-result, --ca-bundle, --use-cache, --wait-for-model, --connect-timeout, --read-timeout,
// --read-idle-timeout, --max-content-length, --stream.
// `endpointHelp` replaces the description of --endpoint (chat: the base before /v1/chat/completions).
void addSendOptions(QCommandLineParser &parser, const QString &endpointHelp = QString());
// Applies the shared options that were given on top of *request / *options (a flow's or preset's values
// stay where an option is absent). False with *error (a sentence) on a bad value.
bool applySendOptions(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options,
                      QString *error);

// --router URL (when given) as the router's base for this process (ServiceBases); false with *error
// (a sentence) when it is not an http(s) URL.
bool applyRouterOption(const QCommandLineParser &parser, QString *error);

// Adds the exchange to the history (HistoryStore, app/cli/HistoryRecording.cpp) unless
// options.recordHistory is false; a history that cannot be written is a note on stderr, never a failure.
void recordHistory(const InferenceRequest &request, const InferenceResult &result,
                   const CallOptions &options);

// Writes request + answer as a saved-result file the app opens (SavedResult).
bool saveResult(const InferenceRequest &request, const InferenceResult &result, const QString &path,
                QString *error);

// Sets up a client for one CLI call: retry on a loading model, the token and where it may go (Hugging
// Face, CallOptions::allowedOrigins and the origins approved in the app: TokenPolicy), extra CA certificates;
// waiting and withheld-token notes go to stderr. False with *error when the CA bundle cannot be used.
bool configureClient(InferenceClient &client, const CallOptions &options, QString *error);

// Watches a stream's events as they arrive, to tell at its end whether the server finished it.
class StreamWatch
{
public:
    void see(const QByteArray &data, const QByteArray &eventName)
    {
        m_last = data;
        m_lastName = eventName;
        ++m_events;
    }
    // Why the stream looks cut off, as a clause ("" when the server finished it): no event at all, a last
    // event broken off in its middle, or no end marker ([DONE], a finish reason, TGI's final generated_text).
    QString cutOff(const ChatStreamAssembler &assembled, const InferenceResult &result) const;

private:
    QByteArray m_last;
    QByteArray m_lastName;
    qint64 m_events = 0;
};

// A 2xx answer that cannot be used (ErrorExplainer::judgeAnswer: empty, broken off, a web page): prints
// why and returns the exit code (1 or 3); 0 when the answer is usable.
int refuseUnusableAnswer(const InferenceResult &result);

// Writes a message to stderr, prefixed with "inference-desk-cli: " (secrets masked, control characters
// escaped: Scrub::forDisplay).
void printError(const QString &message);
// Parses a command with actions (presets, history): --help exits; a parse error or no action is printed
// with `usage` and gives exit code 2 (false). True with *positional = the action and its arguments.
bool parseActionCommand(QCommandLineParser &parser, const QStringList &args, const QString &usage,
                        QStringList *positional);
// Writes a line to stderr as printError() does, without the prefix (notes).
void printNote(const QString &message);
// Writes to standard output: secrets masked (Scrub::secrets); with `text`, control characters escaped too
// (a person's terminal reads it). False when the write failed.
bool printOut(const QByteArray &bytes, bool text);

} // namespace idesk::cli
