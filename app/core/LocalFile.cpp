#include "LocalFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>
#include <sys/stat.h>
#include <sys/vfs.h>

namespace idesk {
namespace LocalFile {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("LocalFile", text);
}
} // namespace

qint64 parseSize(QString text)
{
    text = text.trimmed().toUpper();
    if (text.endsWith(QLatin1Char('B')))
        text.chop(1);
    qint64 factor = 1;
    if (text.endsWith(QLatin1Char('K')))
        factor = 1024;
    else if (text.endsWith(QLatin1Char('M')))
        factor = 1024 * 1024;
    else if (text.endsWith(QLatin1Char('G')))
        factor = 1024LL * 1024 * 1024;
    if (factor != 1)
        text.chop(1);
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    if (!ok || n <= 0 || n > (std::numeric_limits<qint64>::max() / factor))
        return -1;
    return n * factor;
}

qint64 inputCap()
{
    const QByteArray env = qgetenv("IDESK_MAX_INPUT_FILE");
    if (!env.isEmpty()) {
        const qint64 n = parseSize(QString::fromLocal8Bit(env));
        if (n > 0)
            return n;
    }
    return kDefaultInputCap;
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1000)
        return tr("%1 B").arg(bytes);
    const char *units[] = {"KB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(QString::number(value, 'f', value < 10 ? 1 : 0), QLatin1String(units[unit]));
}

std::optional<QByteArray> read(const QString &path, qint64 maxBytes, QString *error, const QString &limitHint)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString shown = QDir::toNativeSeparators(path);
    const QString hint = limitHint.isEmpty()
                             ? tr("Set IDESK_MAX_INPUT_FILE (bytes, or with K, M or G) to allow a larger file.")
                             : limitHint;
    // stat() follows symlinks, so a link to /dev/zero is judged by what it points to.
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (!QFileInfo::exists(path))
            return fail(tr("%1 does not exist. Check the path.").arg(shown));
        return fail(tr("%1 cannot be read. Check its permissions.").arg(shown));
    }
    if (S_ISDIR(st.st_mode))
        return fail(tr("%1 is a folder, not a file. Choose a file inside it.").arg(shown));
    if (!S_ISREG(st.st_mode))
        return fail(tr("%1 is not a regular file (a device, pipe or socket), so it is not read. "
                       "Copy what you want to send into a file and choose that.")
                        .arg(shown));
    // /proc and /sys hold "regular" files the kernel writes on reading: /proc/self/environ would put HF_TOKEN
    // into a request body. No input, preset or flow has a reason to read them.
    struct statfs fs;
    constexpr decltype(fs.f_type) kProcMagic = 0x9fa0, kSysfsMagic = 0x62656572;
    if (::statfs(QFile::encodeName(path).constData(), &fs) == 0 && (fs.f_type == kProcMagic || fs.f_type == kSysfsMagic))
        return fail(tr("%1 is a file of the kernel's /proc or /sys, so it is not read (it can hold secrets such as "
                       "environment variables). Choose an ordinary file.")
                        .arg(shown));
    if (qint64(st.st_size) > maxBytes)
        return fail(tr("%1 is %2, over the limit of %3 for this kind of file. %4")
                        .arg(shown, humanSize(st.st_size), humanSize(maxBytes), hint));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("%1 cannot be read: %2.").arg(shown, file.errorString()));
    // The file may grow while it is read: never read past the cap.
    QByteArray bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(tr("%1 cannot be read: %2.").arg(shown, file.errorString()));
    if (bytes.size() > maxBytes)
        return fail(tr("%1 is over the limit of %2 for this kind of file. %3").arg(shown, humanSize(maxBytes), hint));
    return bytes;
}

} // namespace LocalFile
} // namespace idesk
