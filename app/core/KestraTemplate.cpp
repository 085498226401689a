#include "KestraTemplate.h"

#include "LocalFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace idesk {
namespace kestra {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("KestraFlow", text);
}

// apiKey and the Authorization header hold the Hugging Face key: their secret() goes to the token's resolver.
bool isKeyProperty(const QString &property)
{
    return property == QLatin1String("apiKey") ||
           property.compare(QLatin1String("headers.Authorization"), Qt::CaseInsensitive) == 0;
}

// Text a person could have meant: valid UTF-8 without control characters other than tab and line breaks.
bool isText(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes)
        return false;
    for (const QChar c : text)
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\t') && c != QLatin1Char('\n') &&
            c != QLatin1Char('\r'))
            return false;
    return true;
}
} // namespace

const QRegularExpression &pebbleExpression()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{(.*?)\\}\\}|\\{%(.*?)%\\}"),
                                       QRegularExpression::DotMatchesEverythingOption);
    return re;
}

bool hasPebble(const QString &text)
{
    // {{ expression }}, {% tag %} and {# comment #}: Kestra would render or strip each.
    return text.contains(QLatin1String("{{")) || text.contains(QLatin1String("{%")) ||
           text.contains(QLatin1String("{#"));
}

// A "{%" inside is split across two raw blocks so that an "{% endraw %}" of the text cannot end the block
// early.
QString pebbleLiteral(const QString &text)
{
    if (!hasPebble(text))
        return text;
    QString inner = text;
    inner.replace(QLatin1String("{%"), QLatin1String("{{% endraw %}{% raw %}%"));
    return QStringLiteral("{% raw %}") + inner + QStringLiteral("{% endraw %}");
}

QList<PebblePiece> splitRaw(const QString &text)
{
    static const QRegularExpression rawRe(
        QStringLiteral("\\{%-?\\s*raw\\s*-?%\\}(.*?)\\{%-?\\s*endraw\\s*-?%\\}"),
        QRegularExpression::DotMatchesEverythingOption);
    QList<PebblePiece> pieces;
    qsizetype last = 0;
    auto it = rawRe.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart(0) > last)
            pieces.append({text.mid(last, m.capturedStart(0) - last), false});
        pieces.append({m.captured(1), true});
        last = m.capturedEnd(0);
    }
    if (last < text.size() || pieces.isEmpty())
        pieces.append({text.mid(last), false});
    return pieces;
}

QString secretVariable(const QString &name)
{
    return QStringLiteral("SECRET_") + name;
}

std::optional<QString> environmentSecret(const QString &name)
{
    if (name.isEmpty() || name.contains(QLatin1Char('=')))
        return std::nullopt;
    const QByteArray raw = qgetenv(secretVariable(name).toLocal8Bit().constData());
    if (raw.trimmed().isEmpty())
        return std::nullopt;
    const auto decoded =
        QByteArray::fromBase64Encoding(raw.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && !decoded.decoded.isEmpty() && isText(decoded.decoded))
        return QString::fromUtf8(decoded.decoded);
    return QString::fromLocal8Bit(raw); // not base64: taken as written
}

TemplateRenderer::TemplateRenderer(const QString &baseDir, const QString &source, const Limits &limits,
                                   const KestraFlow::SecretResolver &resolveSecret, QString *error)
    : m_baseDir(QDir::cleanPath(QDir(baseDir.isEmpty() ? QDir::currentPath() : baseDir).absolutePath())),
      m_source(source), m_limits(limits), m_resolveSecret(resolveSecret), m_error(error)
{
}

void TemplateRenderer::failTooLong(const QString &taskId, const QString &property)
{
    fail(tr("Task '%1' in %2: %3 is longer than %4 characters once its expressions are rendered. %5")
             .arg(taskId, m_source, property)
             .arg(m_limits.maxString)
             .arg(raiseHint("IDESK_FLOW_MAX_STRING", m_limits.maxString)));
}

bool TemplateRenderer::fail(const QString &message)
{
    if (m_error && m_error->isEmpty())
        *m_error = message;
    return false;
}

std::optional<QString> TemplateRenderer::render(const QString &text, const QString &taskId,
                                                const QString &property, KestraTask *task, QString *readPath,
                                                QString *secretName)
{
    // {% raw %} blocks are kept as written; the text around them is rendered.
    const QList<PebblePiece> pieces = splitRaw(text);
    if (pieces.size() > 1 || pieces.first().literal) {
        QString result;
        for (const PebblePiece &piece : pieces) {
            if (piece.literal) {
                result += piece.text;
                continue;
            }
            const auto rendered = render(piece.text, taskId, property, task);
            if (!rendered)
                return std::nullopt;
            result += *rendered;
            if (result.size() > m_limits.maxString)
                break;
        }
        if (result.size() > m_limits.maxString) {
            failTooLong(taskId, property);
            return std::nullopt;
        }
        return result;
    }
    const QRegularExpression &exprRe = pebbleExpression();
    static const QRegularExpression secretRe(QStringLiteral("^secret\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)$"));
    static const QRegularExpression readRe(QStringLiteral("^read\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)$"));
    QString result;
    qsizetype last = 0;
    auto it = exprRe.globalMatch(text);
    const bool single = exprRe.match(text).capturedLength(0) == text.size();
    while (it.hasNext()) {
        const auto m = it.next();
        result += text.mid(last, m.capturedStart(0) - last);
        last = m.capturedEnd(0);
        const QString inner = m.captured(1).trimmed();
        const auto secretMatch = secretRe.match(inner);
        const auto readMatch = readRe.match(inner);
        if (m.captured(0).startsWith(QLatin1String("{{")) && m_variables.contains(inner)) {
            result += m_variables.value(inner); // {{ taskrun.value }} inside a ForEach
            continue;
        }
        if (m.captured(0).startsWith(QLatin1String("{%")) ||
            (!secretMatch.hasMatch() && !readMatch.hasMatch())) {
            fail(tr("Task '%1' in %2 uses the expression %3 in %4, which Inference Desk cannot evaluate: "
                    "only {{ secret('NAME') }} and {{ read('file') }} are supported. Replace it with its "
                    "value.")
                     .arg(taskId, m_source, m.captured(0).simplified(), property));
            return std::nullopt;
        }
        if (secretMatch.hasMatch()) {
            const QString name = secretMatch.captured(2);
            if (secretName && single)
                *secretName = name;
            const auto value = secret(name, m.captured(0), taskId, property, task);
            if (!value)
                return std::nullopt;
            result += *value;
        } else {
            const QString written = readMatch.captured(2);
            QString absolutePath;
            const auto content = readFile(written, taskId, property, &absolutePath);
            if (!content)
                return std::nullopt;
            if (readPath && single)
                *readPath = written;
            if (task && single && property == QLatin1String("inputs"))
                task->inputsFile = absolutePath;
            result += *content;
        }
        if (result.size() > m_limits.maxString) {
            failTooLong(taskId, property);
            return std::nullopt;
        }
    }
    result += text.mid(last);
    return result;
}

std::optional<QString> TemplateRenderer::secret(const QString &name, const QString &expression,
                                                const QString &taskId, const QString &property,
                                                KestraTask *task)
{
    if (!m_resolveSecret) {
        // Reading, not running (an import, the app opening a flow): secrets are not looked up. The key is
        // kept by its name (apiKeySecretName); any other secret() stays as written, not lost.
        if (isKeyProperty(property))
            return QString();
        if (task)
            task->notes
                << tr("Task '%1' uses %2 in %3: it is kept as written; only `run` reads secrets (from "
                      "the environment variable %4).")
                       .arg(taskId, expression, property, secretVariable(name));
        return expression;
    }
    if (isKeyProperty(property)) {
        const std::optional<QString> value = m_resolveSecret(name);
        if (value && !value->isEmpty())
            return value;
        if (task)
            task->notes
                << tr("Secret %1 of task '%2' was not found: set the environment variable %3 (its value "
                      "base64-encoded, as Kestra reads secrets) or HF_TOKEN, or store a token in the app.")
                       .arg(name, taskId, secretVariable(name));
        return QString();
    }
    // Anywhere else the value is sent in the request: only what Kestra itself would read.
    if (const auto value = environmentSecret(name))
        return value;
    fail(tr("Task '%1' in %2 uses {{ secret('%3') }} in %4, and no secret %3 is set: set the environment "
            "variable %5 to its value base64-encoded, as Kestra reads secrets (export %5=$(printf %s 'the "
            "value' "
            "| base64 -w0)). No other environment variable is read.")
             .arg(taskId, m_source, name, property, secretVariable(name)));
    return std::nullopt;
}

std::optional<QString> TemplateRenderer::readFile(const QString &written, const QString &taskId,
                                                  const QString &property, QString *absolutePath)
{
    if (written.contains(QLatin1String("://"))) {
        fail(tr("Task '%1' in %2 reads %3 from Kestra's storage, which Inference Desk cannot reach: put the "
                "file "
                "next to the flow and use {{ read('file name') }}.")
                 .arg(taskId, m_source, written));
        return std::nullopt;
    }
    // As Kestra reads namespace files: a path inside the flow's folder, "/x" being x at its top.
    QString relative = written;
    while (relative.startsWith(QLatin1Char('/')) || relative.startsWith(QLatin1Char('\\')))
        relative.remove(0, 1);
    const QString path = QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(relative));
    const QString canonicalBase = QFileInfo(m_baseDir).canonicalFilePath();
    const QString canonical = QFileInfo(path).canonicalFilePath(); // links followed; "" if absent
    auto inside = [](const QString &p, const QString &dir) {
        return !dir.isEmpty() && p.startsWith(dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/'));
    };
    if (!inside(path, m_baseDir) || (!canonical.isEmpty() && !inside(canonical, canonicalBase))) {
        fail(
            tr("Task '%1' in %2 reads '%3' with {{ read() }} in %4, which is outside the flow's folder %5%6: "
               "read() reads only files inside the flow's folder, as Kestra reads namespace files. Copy the "
               "file into that folder and read it by its name there.")
                .arg(taskId, m_source, written, property, QDir::toNativeSeparators(m_baseDir),
                     !inside(path, m_baseDir) || canonical.isEmpty()
                         ? QString()
                         : tr(" (it leads to %1)").arg(QDir::toNativeSeparators(canonical))));
        return std::nullopt;
    }
    if (canonical.isEmpty()) {
        fail(tr("Task '%1' in %2 reads '%3' with {{ read() }}, but %4 does not exist. Put the file next to "
                "the "
                "flow or fix the path in %5.")
                 .arg(taskId, m_source, written, QDir::toNativeSeparators(path), property));
        return std::nullopt;
    }
    *absolutePath = path;
    const QString totalHint = raiseHint("IDESK_FLOW_MAX_READ_TOTAL", m_limits.maxReadTotal);
    auto refuseTotal = [&]() -> std::optional<QString> {
        fail(tr("Task '%1' in %2: read('%3') would take the files the flow reads past %4 in total. %5")
                 .arg(taskId, m_source, written, LocalFile::humanSize(m_limits.maxReadTotal), totalHint));
        return std::nullopt;
    };
    QString text;
    qint64 bytes = 0;
    if (const auto cached = m_readCache.constFind(canonical); cached != m_readCache.constEnd()) {
        text = cached->text;
        bytes = cached->bytes;
    } else {
        // A file over the per-file cap gets LocalFile's sentence; one that fits but would pass the total,
        // this.
        if (const QFileInfo info(canonical); info.isFile() && info.size() <= m_limits.maxReadFile &&
                                             info.size() > m_limits.maxReadTotal - m_readTotal)
            return refuseTotal();
        QString why;
        const auto content = LocalFile::read(canonical, m_limits.maxReadFile, &why,
                                             raiseHint("IDESK_FLOW_MAX_READ_FILE", m_limits.maxReadFile));
        if (!content) {
            fail(tr("Task '%1' in %2 reads '%3' with {{ read() }} in %4: %5")
                     .arg(taskId, m_source, written, property, why));
            return std::nullopt;
        }
        bytes = content->size();
        text = QString::fromUtf8(*content);
        m_readCache.insert(canonical, {text, bytes});
    }
    if (bytes > m_limits.maxReadTotal - m_readTotal)
        return refuseTotal();
    m_readTotal += bytes;
    return text;
}

} // namespace kestra
} // namespace idesk
