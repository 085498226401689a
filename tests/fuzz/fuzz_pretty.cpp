// JSON pretty printer (app/core/JsonPrettyPrinter): any answer body the CLI and the app pretty-print.
// Input: the body. The printer must refuse what QJsonDocument refuses, and what it prints must be JSON
// holding the same document (it keeps the text of numbers and the key order, so compare parsed forms).
#include "FuzzSupport.h"
#include "JsonPrettyPrinter.h"

#include <QBuffer>
#include <QJsonDocument>

using namespace idesk;

IDESK_FUZZ_INITIALIZE

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = fuzz::bytes(data, size);
    const int indent = size > 0 ? data[0] % 5 : 2;
    QString error;
    const QByteArray pretty = JsonPrettyPrinter::format(json, indent, &error);

    QBuffer device;
    device.open(QIODevice::WriteOnly);
    QString streamError;
    const bool streamed = JsonPrettyPrinter::write(json, &device, indent, &streamError);
    fuzz::check(streamed == error.isEmpty(), "format and write agree on what is JSON");
    if (streamed)
        fuzz::check(device.data() == pretty, "format and write print the same text");

    QJsonParseError parse;
    const QJsonDocument original = QJsonDocument::fromJson(json, &parse);
    if (parse.error != QJsonParseError::NoError || !error.isEmpty())
        return 0;
    QJsonParseError reparse;
    const QJsonDocument printed = QJsonDocument::fromJson(pretty, &reparse);
    // Past Qt's own nesting limit the printed text may be refused by QJsonDocument: not our bug.
    if (reparse.error == QJsonParseError::DeepNesting)
        return 0;
    fuzz::check(reparse.error == QJsonParseError::NoError, "the pretty text is JSON");
    fuzz::check(printed == original, "the pretty text holds the same document");
    return 0;
}
