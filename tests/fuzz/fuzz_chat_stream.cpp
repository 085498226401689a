// Chat stream assembler (app/core/ChatStreamAssembler): a streamed chat / completion / TGI answer, or a
// whole (non-streamed) answer. Input: a first line "json" (the rest is a whole answer, read with
// readAnswer) or anything else (the rest is an event stream, fed in chunks of 1 + the line's length).
// Everything a view or the CLI prints is then asked for.
#include "ChatStreamAssembler.h"
#include "FuzzSupport.h"

#include <QJsonDocument>

using idesk::ChatStreamAssembler;

IDESK_FUZZ_INITIALIZE

static void askEverything(const ChatStreamAssembler &a)
{
    (void)a.role();
    (void)a.content();
    (void)a.generatedText();
    for (const ChatStreamAssembler::ToolCall &call : a.toolCalls())
        (void)call.prettyArguments();
    (void)ChatStreamAssembler::usageText(a.usage());
    (void)a.message();
    (void)QJsonDocument(a.toChatCompletion()).toJson();
    (void)QJsonDocument(a.toTextGeneration()).toJson();
    (void)a.summaryLine();
    (void)a.errorMessage();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray input = idesk::fuzz::bytes(data, size);
    const QByteArray mode = idesk::fuzz::takeLine(&input);
    ChatStreamAssembler assembler;
    if (mode == "json") {
        const QJsonDocument doc = QJsonDocument::fromJson(input);
        assembler.readAnswer(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        askEverything(assembler);
        return 0;
    }
    const qsizetype chunk = 1 + mode.size();
    QString streamed;
    for (qsizetype at = 0; at < input.size(); at += chunk)
        streamed += assembler.feedBytes(input.mid(at, chunk));
    streamed += assembler.finishBytes();
    askEverything(assembler);

    // The same stream in one piece gives the same answer.
    ChatStreamAssembler whole;
    whole.feedBytes(input);
    whole.finishBytes();
    idesk::fuzz::check(whole.content() == assembler.content(), "same content whole and in chunks");
    idesk::fuzz::check(whole.toolCalls().size() == assembler.toolCalls().size(),
                       "same tool calls whole and in chunks");
    idesk::fuzz::check(whole.finishReason() == assembler.finishReason(),
                       "same finish reason whole and in chunks");
    return 0;
}
