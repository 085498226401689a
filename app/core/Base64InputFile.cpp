#include "Base64InputFile.h"

#include <QMimeDatabase>

namespace idesk::Base64InputFile {

std::optional<InputFile> fromInputs(const InferenceRequest &request, const QString &name)
{
    if (!request.file.isEmpty() || !request.inputs.isString())
        return std::nullopt;
    QByteArray text = request.inputs.toString().toLatin1();
    text.replace('\n', QByteArray()).replace('\r', QByteArray()).replace(' ', QByteArray()); // a file's lines
    if (text.size() < 16)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    const QString mime = QMimeDatabase().mimeTypeForData(decoded.decoded).name();
    if (!mime.startsWith(QLatin1String("image/")) && !mime.startsWith(QLatin1String("audio/")))
        return std::nullopt;
    InputFile file;
    file.path = name;
    file.bytes = decoded.decoded;
    file.mimeType = mime;
    return file;
}

} // namespace idesk::Base64InputFile
