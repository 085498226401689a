#include "CliCall.h"

#include "ServiceBases.h"

#include "ChatCompletion.h"
#include "ChatStreamAssembler.h"
#include "Duration.h"
#include "ErrorExplainer.h"
#include "HistoryStore.h"
#include "InferenceClient.h"
#include "JsonPrettyPrinter.h"
#include "ProviderCall.h"
#include "ResultPrinter.h"
#include "ScrubbedOutput.h"
#include "SendController.h"
#include "TaskCatalog.h"
#include "TokenResolver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <cstdio>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliCall", text);
}

bool parseBool(const QString &value, bool *out)
{
    const QString v = value.trimmed().toLower();
    if (v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes")) {
        *out = true;
        return true;
    }
    if (v == QLatin1String("false") || v == QLatin1String("0") || v == QLatin1String("no")) {
        *out = false;
        return true;
    }
    return false;
}

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

void note(const QString &message)
{
    printNote(message);
}

} // namespace

void printError(const QString &message)
{
    QTextStream err(stderr);
    err << "inference-desk-cli: " << Scrub::forDisplay(message) << '\n';
}

void printNote(const QString &message)
{
    QTextStream err(stderr);
    err << Scrub::forDisplay(message) << '\n';
}

bool printOut(const QByteArray &bytes, bool text)
{
    const QByteArray shown =
        text ? Scrub::forDisplay(QString::fromUtf8(bytes)).toUtf8() : Scrub::secrets(bytes);
    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    return out.write(shown) == shown.size();
}

QString StreamWatch::cutOff(const ChatStreamAssembler &assembled, const InferenceResult &result) const
{
    if (assembled.hasError())
        return {}; // said as the server's error
    if (m_events == 0)
        return tr("the stream ended before any event of it came");
    // `data: [DONE]` is not handed on as an event; the last bytes say whether it came.
    if (result.body.right(32).trimmed().endsWith("[DONE]"))
        return {};
    QJsonParseError parseError;
    const QJsonDocument last = QJsonDocument::fromJson(m_last, &parseError);
    if (parseError.error != QJsonParseError::NoError && m_lastName != "error")
        return tr("the stream broke off in the middle of an event");
    switch (assembled.dialect()) {
    case ChatStreamAssembler::Dialect::Chat:
    case ChatStreamAssembler::Dialect::Completion:
        if (!assembled.finishReason().isEmpty())
            return {};
        return tr("the stream ended without [DONE] or a finish reason");
    case ChatStreamAssembler::Dialect::TextGeneration:
        if (last.object().value(QStringLiteral("generated_text")).isString())
            return {};
        return tr("the stream ended before its last event, the one with the whole generated text");
    case ChatStreamAssembler::Dialect::Unknown:
        break;
    }
    return {};
}

int refuseUnusableAnswer(const InferenceResult &result)
{
    QString why;
    InferenceResult judged;
    judged.outcome = ErrorExplainer::judgeAnswer(result, &why);
    if (judged.ok())
        return 0;
    printError(why);
    return judged.exitCode();
}

QString resolveToken()
{
    // HF_TOKEN first; the keychain is only asked when the environment has none.
    return TokenResolver::resolveNow().token;
}

void addSendOptions(QCommandLineParser &parser, const QString &endpointHelp)
{
    parser.addOptions({
        {QStringLiteral("endpoint"),
         endpointHelp.isEmpty() ? tr("API base URL; the model id is appended (default %1).")
                                      .arg(InferenceRequest::defaultEndpoint())
                                : endpointHelp,
         tr("URL")},
        {QStringLiteral("router"),
         tr("Base URL of the Hugging Face router (default %1; INFERENCE_DESK_ROUTER works too). The token "
            "may go to it, as to --endpoint.")
             .arg(ServiceBases::defaultRouter()),
         tr("URL")},
        {QStringLiteral("allow-host"),
         tr("Let the Hugging Face token go to ORIGIN (scheme://host:port, or host[:port]; repeatable). "
            "Without it the token goes only to Hugging Face, the --endpoint given and the origins approved "
            "in the app; a flow's or preset's own hosts get none."),
         tr("ORIGIN")},
        {QStringLiteral("use-cache"), tr("Let the API answer from its cache (true|false, default true)."),
         tr("BOOL")},
        {QStringLiteral("wait-for-model"),
         tr("Wait for a cold model instead of a 503 (true|false, default false)."), tr("BOOL")},
        {QStringLiteral("connect-timeout"), tr("Time to connect, e.g. PT5S or 5s."), tr("D")},
        {QStringLiteral("read-timeout"),
         tr("Longest wait for the server to start answering (default PT10S)."), tr("D")},
        {QStringLiteral("read-idle-timeout"),
         tr("Longest silence while the answer streams in (default PT5M)."), tr("D")},
        {QStringLiteral("max-content-length"), tr("Largest answer accepted, in bytes (default 10485760)."),
         tr("BYTES")},
        {QStringLiteral("deadline"),
         tr("Longest time for the whole request, retries included (default PT10M; 0 is not allowed)."),
         tr("D")},
        {QStringLiteral("max-wait"),
         tr("Longest time spent in all waiting for a loading model (503) before giving up (default PT2M)."),
         tr("D")},
        {QStringLiteral("no-validate"),
         tr("Send parameters without checking them against the task catalog.")},
        {QStringLiteral("no-retry"), tr("Do not retry automatically when the model is loading (503).")},
        {QStringLiteral("no-history"),
         tr("Do not keep this exchange in the history (inference-desk-cli history; the app's History).")},
        {QStringLiteral("stream"),
         tr("Ask for a token stream and print tokens as they arrive (text generation and chat).")},
        {QStringLiteral("format"),
         tr("Output: pretty (default), json (as received; a provider's answer in the task's own shape), "
            "summary, or raw (what a provider sent)."),
         tr("pretty|json|summary|raw"), QStringLiteral("pretty")},
        {QStringLiteral("output"), tr("Write the answer to FILE instead of standard output."), tr("FILE")},
        {QStringLiteral("save-result"), tr("Also save request and answer as a result file the app opens."),
         tr("FILE")},
        {QStringLiteral("ca-bundle"),
         tr("Extra CA certificates (PEM) to trust, e.g. a company proxy's; "
            "SSL_CERT_FILE works too."),
         tr("FILE")},
    });
}

bool applyRouterOption(const QCommandLineParser &parser, QString *error)
{
    if (!parser.isSet(QStringLiteral("router")))
        return true;
    const QString router = parser.value(QStringLiteral("router")).trimmed();
    const QUrl url(router);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        *error = tr("--router takes an http(s) URL, got \"%1\".").arg(router);
        return false;
    }
    ServiceBases::setRouterOverride(router);
    return true;
}

bool applySendOptions(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options,
                      QString *error)
{
    if (parser.isSet(QStringLiteral("endpoint"))) {
        request->endpoint = parser.value(QStringLiteral("endpoint")).trimmed();
        options->allowedOrigins << TokenPolicy::originOf(QUrl(request->endpoint)); // "" when not a URL
    }
    if (!applyRouterOption(parser, error))
        return false;
    for (const QString &typed : parser.values(QStringLiteral("allow-host"))) {
        QString why;
        const QString origin = TokenPolicy::normalizedOrigin(typed, &why);
        if (origin.isEmpty()) {
            *error = QStringLiteral("--allow-host: %1").arg(why);
            return false;
        }
        options->allowedOrigins << origin;
    }
    for (const auto &[name, target] : {std::pair<const char *, bool *>{"use-cache", &request->useCache},
                                       {"wait-for-model", &request->waitForModel}}) {
        if (parser.isSet(QLatin1String(name)) && !parseBool(parser.value(QLatin1String(name)), target)) {
            *error = tr("--%1 takes true or false, got \"%2\".")
                         .arg(QLatin1String(name), parser.value(QLatin1String(name)));
            return false;
        }
    }
    for (const auto &[name, target] :
         {std::pair<const char *, qint64 *>{"connect-timeout", &request->options.connectTimeoutMs},
          {"read-timeout", &request->options.readTimeoutMs},
          {"read-idle-timeout", &request->options.readIdleTimeoutMs},
          {"deadline", &request->options.deadlineMs},
          {"max-wait", &request->options.maxLoadingWaitMs}}) {
        if (!parser.isSet(QLatin1String(name)))
            continue;
        QString why;
        const auto ms = Duration::parseTimeout(parser.value(QLatin1String(name)), &why);
        if (!ms) {
            *error = QStringLiteral("--%1: %2").arg(QLatin1String(name), why);
            return false;
        }
        *target = *ms;
    }
    if (parser.isSet(QStringLiteral("max-content-length"))) {
        bool ok = false;
        const qint64 max = parser.value(QStringLiteral("max-content-length")).toLongLong(&ok);
        if (!ok || max <= 0) {
            *error = tr("--max-content-length takes a number of bytes, got \"%1\".")
                         .arg(parser.value(QStringLiteral("max-content-length")));
            return false;
        }
        request->options.maxContentLength = max;
    }
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("pretty") && format != QLatin1String("json") &&
        format != QLatin1String("summary") && format != QLatin1String("raw")) {
        *error = tr("--format takes pretty, json or summary (or raw: what a provider sent), got \"%1\".")
                     .arg(format);
        return false;
    }
    options->format = format;
    options->validate = !parser.isSet(QStringLiteral("no-validate"));
    options->outputFile = parser.value(QStringLiteral("output"));
    options->saveResultFile = parser.value(QStringLiteral("save-result"));
    options->caBundle = parser.isSet(QStringLiteral("ca-bundle")) ? parser.value(QStringLiteral("ca-bundle"))
                                                                  : qEnvironmentVariable("SSL_CERT_FILE");
    if (parser.isSet(QStringLiteral("stream"))) {
        options->stream = true;
        request->stream = true;
    }
    if (parser.isSet(QStringLiteral("no-retry")))
        options->retryWhileLoading = false;
    options->recordHistory = !parser.isSet(QStringLiteral("no-history")) && HistoryStore::enabledInSettings();
    return true;
}

bool configureClient(InferenceClient &client, const CallOptions &options, QString *error)
{
    client.setRetryWhileLoading(options.retryWhileLoading);
    client.setToken(options.token);
    // One rule for every command: Hugging Face, the origins approved in the app, and the ones named on
    // this command line. A host named only inside a flow or a preset gets no token.
    TokenPolicy policy = TokenPolicy::fromSettings();
    for (const QString &origin : options.allowedOrigins)
        policy.approveOrigin(origin);
    client.setTokenPolicy(policy);
    if (!options.caBundle.isEmpty() && !client.addCaCertificates(options.caBundle, error))
        return false;
    QObject::connect(&client, &InferenceClient::waitingForModel,
                     [](int, const QString &message) { note(message); });
    QObject::connect(&client, &InferenceClient::tokenWithheld,
                     [](const QString &reason) { note(tr("note: %1").arg(reason)); });
    return true;
}

int executeRequest(const InferenceRequest &original, const CallOptions &given)
{
    InferenceRequest request = original;
    CallOptions options = given;
    if (options.format == QLatin1String("raw") && !request.usesProvider())
        options.format = QStringLiteral("json"); // without a provider, the answer is what the server sent
    if (request.usesRetiredEndpoint()) {
        const QString migrated = InferenceRequest::migratedEndpoint(request.endpoint);
        note(tr("note: %1 was retired by Hugging Face; sending to %2 instead. Pass --endpoint to choose "
                "another.")
                 .arg(request.endpoint, migrated));
        request.endpoint = migrated;
    }
    if (options.validate) {
        QStringList problems = request.task.isEmpty()
                                   ? TaskCatalog::instance().validateGeneric(request.parameters)
                                   : TaskCatalog::instance().validate(request.task, request.parameters);
        if (options.knownParametersOnly && !request.task.isEmpty())
            problems += TaskCatalog::instance().unknownParameters(request.task, request.parameters);
        // auto may pick a provider that takes names of its own: an unknown name is sent, and said.
        else if (request.provider == QLatin1String("auto") && !request.task.isEmpty())
            for (const QString &unknown :
                 TaskCatalog::instance().unknownParameters(request.task, request.parameters))
                note(tr("note: %1 It is sent as given, since auto may choose a provider that takes it; pass "
                        "--provider hf-inference to have it refused instead.")
                         .arg(unknown));
        if (!problems.isEmpty()) {
            for (const QString &p : problems)
                printError(p);
            printError(
                tr("nothing was sent. Fix the parameters, or pass --no-validate to send them anyway."));
            return 2;
        }
    }
    // The one send path (SendController): the same states, encoding and token rule as the app; the CLI sends
    // what it was given (no Hub lookup) and asks nobody about hosts (a token is withheld, with a note).
    SendController send;
    send.setLlmLookup(false);
    InferenceClient &client = *send.client();
    QString clientError;
    if (!configureClient(client, options, &clientError)) {
        printError(clientError);
        return 2;
    }
    send.setToken(options.token);
    send.setTokenPolicy(client.tokenPolicy());
    const bool printStream =
        options.stream && options.format != QLatin1String("json") && options.outputFile.isEmpty();
    bool streamed = false;
    ChatStreamAssembler assembled; // every stream dialect: TGI tokens, completions, chat deltas
    StreamWatch watch;
    QObject::connect(&send, &SendController::streamEvent,
                     [&](const QByteArray &data, const QByteArray &name) {
                         watch.see(data, name);
                         const QString text = assembled.addEvent(data, name);
                         if (!printStream || text.isEmpty())
                             return;
                         streamed = true;
                         printOut(text.toUtf8(), true);
                     });

    InferenceResult result;
    // A request to an Inference Provider (--provider): chosen, queued and downloaded by the same controller.
    if (request.usesProvider() && !prepareProviderJob(send, options))
        return 2;
    QEventLoop loop;
    QObject::connect(&send, &SendController::finished, &loop, [&](const InferenceResult &r) {
        result = r;
        loop.quit();
    });
    send.send(request);
    loop.exec();
    request = send.request(); // as it went out (the built-in endpoint follows --router)
    if (options.format == QLatin1String("raw") && !request.usesProvider())
        options.format = QStringLiteral("json"); // "auto" sent to an endpoint: the answer is what it sent
    recordHistory(request, result, options);
    if (request.usesProvider() && result.ok() && options.format == QLatin1String("raw"))
        return printRawAnswer(*send.providerJob(), options);

    if (!result.ok()) {
        if (streamed)
            QTextStream(stdout) << '\n';
        printError(result.errorMessage);
        return result.exitCode();
    }
    if (const int refused = refuseUnusableAnswer(result))
        return refused;
    QString error;
    if (!options.saveResultFile.isEmpty() && !saveResult(request, result, options.saveResultFile, &error)) {
        printError(error);
        return 2;
    }
    if (result.isEventStream()) {
        // Assembled live; the text is printed already unless --format json or --output.
        const QString text = assembled.content();
        const bool openAi = assembled.dialect() == ChatStreamAssembler::Dialect::Chat ||
                            assembled.dialect() == ChatStreamAssembler::Dialect::Completion;
        QByteArray bytes;
        if (options.format == QLatin1String("json") && request.usesCompletionsRoute()) {
            // The completions route: as its non-streamed answer would be.
            const QString finishReason = assembled.finishReason();
            const QJsonObject choice{{QStringLiteral("index"), 0},
                                     {QStringLiteral("text"), text},
                                     {QStringLiteral("finish_reason"), finishReason.isEmpty()
                                                                           ? QJsonValue(QJsonValue::Null)
                                                                           : QJsonValue(finishReason)}};
            const QJsonObject answer{{QStringLiteral("object"), QStringLiteral("text_completion")},
                                     {QStringLiteral("choices"), QJsonArray{choice}}};
            bytes = QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n';
        } else if (options.format == QLatin1String("json") &&
                   assembled.dialect() == ChatStreamAssembler::Dialect::Chat) {
            // A chat stream: as the non-streamed chat answer would be (as `chat --format json` prints it).
            bytes = QJsonDocument(assembled.toChatCompletion()).toJson(QJsonDocument::Compact) + '\n';
        } else if (options.format == QLatin1String("json")) {
            QJsonObject answer{{QStringLiteral("generated_text"), text}};
            if (!assembled.details().isEmpty())
                answer.insert(QStringLiteral("details"), assembled.details());
            bytes = QJsonDocument(QJsonArray{answer}).toJson(QJsonDocument::Compact) + '\n';
        } else if (openAi) {
            // Chat and completions: the text, the tool calls, then "[finish reason: stop · 46 prompt + 20
            // completion = 66 tokens]", as `chat` prints them.
            bytes = ResultPrinter::chatReading(assembled, streamed);
        } else {
            bytes = ((streamed ? QString() : text) + QLatin1Char('\n')).toUtf8();
        }
        const bool received = !text.isEmpty() || !assembled.toolCalls().isEmpty();
        const QString cutOff = watch.cutOff(assembled, result);
        if (assembled.hasError() || !cutOff.isEmpty()) {
            // Where the part received before the error went: printed live, or written now where the answer
            // was to go.
            QString part;
            if (streamed)
                printOut("\n", true);
            if (streamed)
                part = tr("The part received is above. ");
            else if (received && !options.outputFile.isEmpty() &&
                     writeFileAtomically(options.outputFile, bytes, &error))
                part = tr("The part received was written to %1. ").arg(options.outputFile);
            else if (received && options.outputFile.isEmpty()) {
                printOut(bytes, options.format != QLatin1String("json"));
                part = tr("The part received is on standard output. ");
            } else if (!received)
                part = tr("No part of the answer came before it. ");
            if (!cutOff.isEmpty()) {
                // A network failure: the server never said the answer was complete.
                printError(tr("the answer was cut off: %1. %2Try again.").arg(cutOff, part));
                return 3;
            }
            printError(tr("the server reported an error in the middle of the answer: \"%1\". %2Try again, or "
                          "with --wait-for-model true if the model was loading.")
                           .arg(assembled.errorMessage(), part));
            return 1;
        }
        if (!options.outputFile.isEmpty())
            return writeFileAtomically(options.outputFile, bytes, &error) ? 0 : (printError(error), 2);
        printOut(bytes, options.format != QLatin1String("json"));
        return 0;
    }
    if (result.isBinary() ||
        (!result.isJson() && !result.contentType.startsWith(QLatin1String("text/")) &&
         !result.body.isEmpty() && result.text().contains(QChar::ReplacementCharacter))) {
        const QString path = options.outputFile.isEmpty()
                                 ? ResultPrinter::binaryFileName(request.model, result.contentType)
                                 : options.outputFile;
        if (!writeFileAtomically(path, result.body, &error)) {
            printError(error);
            return 2;
        }
        printOut(tr("%1 answer (%2 bytes) saved to %3\n")
                     .arg(result.contentType)
                     .arg(result.body.size())
                     .arg(QFileInfo(path).absoluteFilePath())
                     .toUtf8(),
                 true);
        return 0;
    }
    if (!options.outputFile.isEmpty()) {
        QSaveFile file(options.outputFile);
        if (!file.open(QIODevice::WriteOnly) ||
            !ResultPrinter::write(request, result, options.format, &file, &error) || !file.commit()) {
            printError(error.isEmpty()
                           ? tr("Cannot write %1: %2.").arg(options.outputFile, file.errorString())
                           : error);
            return 2;
        }
        return 0;
    }
    // On standard output, scrubbed as it streams. json and pretty are JSON text (control characters escaped
    // by JSON itself): only secrets are masked there.
    ScrubbedOutput out(options.format == QLatin1String("summary") || !result.isJson());
    if (!ResultPrinter::write(request, result, options.format, &out, &error)) {
        out.close();
        printError(error);
        return 1;
    }
    out.close();
    return 0;
}

bool parseActionCommand(QCommandLineParser &parser, const QStringList &args, const QString &usage,
                        QStringList *positional)
{
    if (!parser.parse(args)) {
        printError(parser.errorText() + QLatin1Char('\n') + usage);
        return false;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0); // exits
    *positional = parser.positionalArguments();
    if (positional->isEmpty()) {
        printError(tr("say what to do:\n%1").arg(usage));
        return false;
    }
    return true;
}

} // namespace idesk::cli
