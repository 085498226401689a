#include "ChatCommand.h"

#include "ChatCompletion.h"
#include "ChatImages.h"
#include "ChatStreamAssembler.h"
#include "CliCall.h"
#include "InferenceClient.h"
#include "JsonPrettyPrinter.h"
#include "ResultPrinter.h"
#include "ServiceBases.h"
#include "TaskCatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChatCommand", text);
}

bool parseJson(const QString &text, QJsonValue *out, QString *why)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *why = error.error != QJsonParseError::NoError ? error.errorString() : tr("one JSON value expected");
        return false;
    }
    *out = doc.array().at(0);
    return true;
}

// `text`: what is written to standard output is for a person (control characters escaped); secrets are
// masked on standard output in every format.
bool writeOut(const QString &path, const QByteArray &bytes, QString *error, bool text = true)
{
    if (path.isEmpty())
        return printOut(bytes, text);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}
} // namespace

int runChatCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Chat with a large language model through the Hugging Face router (OpenAI-compatible "
           "chat completion).\nThe model id may carry a provider or a policy: google/gemma-2-2b-it:fastest, "
           ":cheapest, :preferred, :novita...\n--endpoint is the base before /v1/chat/completions (default "
           "%1).")
            .arg(ChatCompletion::defaultBaseUrl()));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("model"),
         tr("Chat model id, e.g. google/gemma-2-2b-it or meta-llama/Llama-3.1-8B-Instruct:novita."),
         tr("ID")},
        {QStringLiteral("prompt"), tr("The user message."), tr("TEXT")},
        {QStringLiteral("messages-json"),
         tr("The whole conversation as JSON, e.g. '[{\"role\": \"user\", \"content\": \"Hi\"}]'."),
         tr("JSON")},
        {QStringLiteral("system"), tr("A system prompt, sent first."), tr("TEXT")},
        {QStringLiteral("image"),
         tr("An image for a vision model, attached to the last user message: a file (sent as a data URI "
            "of its own bytes) or an http(s) URL (sent as it is); repeatable."),
         tr("FILE|URL")},
        {QStringLiteral("parameters"),
         tr("Chat parameters as a JSON object: max_tokens, temperature, top_p, stop, seed, tools, "
            "response_format..."),
         tr("JSON")},
        {QStringLiteral("param"),
         tr("One parameter, NAME=VALUE (VALUE read as JSON when it is JSON); repeatable."), tr("NAME=VALUE")},
    });
    addSendOptions(
        parser,
        tr("Base URL before /v1/chat/completions (default %1).").arg(ChatCompletion::defaultBaseUrl()));
    if (!parser.parse(args)) {
        printError(parser.errorText() + QLatin1Char('\n') + tr("See inference-desk-cli chat --help."));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0); // exits
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("unexpected argument \"%1\"; give the message with --prompt.")
                       .arg(parser.positionalArguments().first()));
        return 2;
    }

    InferenceRequest request;
    request.task = ChatCompletion::taskId();
    request.endpoint = ChatCompletion::defaultBaseUrl();
    request.model = parser.value(QStringLiteral("model")).trimmed();
    if (request.model.isEmpty()) {
        printError(tr("--model is required, e.g. --model google/gemma-2-2b-it."));
        return 2;
    }
    const bool hasPrompt = parser.isSet(QStringLiteral("prompt"));
    const bool hasMessages = parser.isSet(QStringLiteral("messages-json"));
    if (hasPrompt == hasMessages) {
        printError(hasPrompt ? tr("give the conversation once: --prompt TEXT or --messages-json JSON.")
                             : tr("no message: give --prompt TEXT or --messages-json JSON."));
        return 2;
    }
    const QString system = parser.value(QStringLiteral("system"));
    QString error;
    QJsonArray messages;
    if (hasPrompt) {
        if (parser.value(QStringLiteral("prompt")).trimmed().isEmpty()) {
            printError(tr("--prompt is empty: type what you want to ask the model."));
            return 2;
        }
        messages = ChatCompletion::messages(system, parser.value(QStringLiteral("prompt")));
    } else {
        QJsonValue value;
        if (!parseJson(parser.value(QStringLiteral("messages-json")), &value, &error)) {
            printError(tr("--messages-json is not valid JSON: %1.").arg(error));
            return 2;
        }
        messages = ChatCompletion::messagesFrom(value, &error);
        if (messages.isEmpty()) {
            printError(QStringLiteral("--messages-json: ") + error);
            return 2;
        }
        if (!system.trimmed().isEmpty()) {
            if (messages.at(0).toObject().value(QStringLiteral("role")).toString() ==
                QLatin1String("system")) {
                printError(
                    tr("the conversation in --messages-json already starts with a system message; drop "
                       "--system or that message."));
                return 2;
            }
            messages.prepend(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                         {QStringLiteral("content"), system}});
        }
    }
    if (parser.isSet(QStringLiteral("image"))) {
        QList<QJsonObject> images;
        for (const QString &image : parser.values(QStringLiteral("image"))) {
            const std::optional<QJsonObject> part = ChatImages::partFor(image, &error);
            if (!part) {
                printError(QStringLiteral("--image: ") + error);
                return 2;
            }
            const QString url =
                part->value(QStringLiteral("image_url")).toObject().value(QStringLiteral("url")).toString();
            if (const QString warning = ChatImages::largeImageWarning(ChatImages::imageBytes(url), image);
                !warning.isEmpty())
                printError(
                    tr("warning: %1 (sent as it is; downscale it yourself, or in the app)").arg(warning));
            images << *part;
        }
        messages = ChatImages::attachToLastUser(messages, images, &error);
        if (messages.isEmpty()) {
            printError(QStringLiteral("--image: ") + error);
            return 2;
        }
    }
    request.inputs = messages;

    if (parser.isSet(QStringLiteral("parameters"))) {
        QJsonValue value;
        if (!parseJson(parser.value(QStringLiteral("parameters")), &value, &error) || !value.isObject()) {
            printError(tr("--parameters must be a JSON object, e.g. '{\"max_tokens\": 200}'%1.")
                           .arg(error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(error)));
            return 2;
        }
        request.parameters = value.toObject();
    }
    for (const QString &spec : parser.values(QStringLiteral("param"))) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            printError(tr("--param needs NAME=VALUE, got \"%1\".").arg(spec));
            return 2;
        }
        QJsonValue value;
        QString ignored;
        if (!parseJson(spec.mid(eq + 1), &value, &ignored))
            value = spec.mid(eq + 1);
        request.parameters.insert(spec.left(eq).trimmed(), value);
    }

    CallOptions options;
    if (!applySendOptions(parser, &request, &options, &error)) {
        printError(error);
        return 2;
    }
    if (!parser.isSet(QStringLiteral("endpoint")))
        request.endpoint = ServiceBases::router(); // --router, INFERENCE_DESK_ROUTER or the default
    if (options.validate) {
        const QStringList problems =
            TaskCatalog::instance().validate(request.task, request.parameters) +
            TaskCatalog::instance().unknownParameters(request.task, request.parameters);
        if (!problems.isEmpty()) {
            for (const QString &p : problems)
                printError(p);
            printError(
                tr("nothing was sent. Fix the parameters, or pass --no-validate to send them anyway."));
            return 2;
        }
    }
    const EncodedRequest encoded = ChatCompletion::encode(request, &error);
    if (encoded.url.isEmpty()) {
        printError(error);
        return 2;
    }
    options.token = resolveToken();

    InferenceClient client;
    if (!configureClient(client, options, &error)) {
        printError(error);
        return 2;
    }

    // Streamed tokens go to the terminal as they come, unless the answer is wanted as JSON or in a file.
    const bool printLive =
        options.stream && options.format != QLatin1String("json") && options.outputFile.isEmpty();
    ChatStreamAssembler assembled;
    StreamWatch watch;
    bool printedText = false;
    QTextStream live(stdout);
    QObject::connect(&client, &InferenceClient::streamEvent,
                     [&](const QByteArray &data, const QByteArray &name) {
                         watch.see(data, name);
                         const QString text = assembled.addEvent(data, name);
                         if (printLive && !text.isEmpty()) {
                             printOut(text.toUtf8(), true);
                             printedText = true;
                         }
                     });
    InferenceResult result;
    QEventLoop loop;
    QObject::connect(&client, &InferenceClient::finished, &loop, [&](const InferenceResult &r) {
        result = r;
        loop.quit();
    });
    client.sendEncoded(encoded, request.options);
    loop.exec();
    recordHistory(request, result, options);

    if (!result.ok()) {
        if (printedText)
            live << '\n';
        live.flush();
        printError(result.errorMessage);
        return result.exitCode();
    }
    if (const int refused = refuseUnusableAnswer(result))
        return refused;
    if (!options.saveResultFile.isEmpty() && !saveResult(request, result, options.saveResultFile, &error)) {
        printError(error);
        return 2;
    }
    const bool streamed = result.isEventStream();
    if (!streamed) {
        assembled.clear();
        QString parseError;
        const QJsonDocument doc = result.json(&parseError);
        if (!parseError.isEmpty()) {
            // Random bytes, a truncated document, plain text: not an answer of a chat API.
            printError(
                tr("the answer is not JSON (%1 bytes%2: %3), so it is not a chat completion. Check the "
                   "endpoint and the model id, and try again.")
                    .arg(result.body.size())
                    .arg(result.contentType.isEmpty() ? QString() : QStringLiteral(", ") + result.contentType,
                         parseError));
            return 1;
        }
        if (!assembled.readAnswer(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()))) {
            // Not a chat answer: show what came, as `call` would.
            writeOut(options.outputFile, result.body.endsWith('\n') ? result.body : result.body + '\n',
                     &error);
            return 0;
        }
    }
    const QString cutOff = streamed ? watch.cutOff(assembled, result) : QString();
    if (assembled.hasError() || !cutOff.isEmpty()) {
        if (printedText)
            live << '\n';
        live.flush();
        // Where the part received before the error went: printed live, or (JSON, a file) written now.
        QString part;
        const bool received =
            streamed && (!assembled.content().isEmpty() || !assembled.toolCalls().isEmpty());
        if (printedText) {
            part = tr("The part received is above.");
        } else if (received && !printLive) {
            const bool json = options.format == QLatin1String("json");
            const QByteArray bytes =
                json ? QJsonDocument(assembled.toChatCompletion()).toJson(QJsonDocument::Compact) + '\n'
                     : ResultPrinter::chatReading(assembled, false);
            if (!writeOut(options.outputFile, bytes, &error, !json))
                printError(error);
            else if (options.outputFile.isEmpty())
                part = tr("The part received is on standard output, as JSON.");
            else
                part = json ? tr("The part received was written to %1, as JSON.").arg(options.outputFile)
                            : tr("The part received was written to %1.").arg(options.outputFile);
        } else if (streamed && !received) {
            part = tr("No part of the answer came before it.");
        }
        if (!cutOff.isEmpty()) {
            // A network failure: the server never said the answer was complete.
            printError(tr("the answer was cut off: %1.").arg(cutOff) +
                       (part.isEmpty() ? QString() : QLatin1Char(' ') + part) + tr(" Try again."));
            return 3;
        }
        QStringList sentences{tr("the server reported an error %1: \"%2\".")
                                  .arg(streamed ? tr("in the middle of the answer") : tr("in its answer"),
                                       assembled.errorMessage())};
        if (!part.isEmpty())
            sentences << part;
        sentences << tr("Try again, or choose another provider (model:provider).");
        printError(sentences.join(QLatin1Char(' ')));
        return 1;
    }

    QByteArray bytes;
    if (options.format == QLatin1String("json")) {
        bytes = streamed ? QJsonDocument(assembled.toChatCompletion()).toJson(QJsonDocument::Compact)
                         : result.json().toJson(QJsonDocument::Compact);
        bytes += '\n';
    } else if (options.format == QLatin1String("pretty") && !streamed) {
        bytes = JsonPrettyPrinter::format(result.body);
        if (!bytes.endsWith('\n'))
            bytes += '\n';
    } else {
        bytes = ResultPrinter::chatReading(assembled, printedText);
    }
    live.flush();
    if (!writeOut(options.outputFile, bytes, &error, options.format != QLatin1String("json"))) {
        printError(error);
        return 2;
    }
    return 0;
}

} // namespace idesk::cli
