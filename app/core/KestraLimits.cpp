#include "KestraLimits.h"

#include "LocalFile.h"

#include <QCoreApplication>

namespace idesk {
namespace kestra {

namespace {
qint64 fromEnvironment(const char *variable, qint64 fallback)
{
    const QByteArray env = qgetenv(variable);
    if (env.isEmpty())
        return fallback;
    const qint64 n = LocalFile::parseSize(QString::fromLocal8Bit(env));
    return n > 0 ? n : fallback;
}
} // namespace

Limits Limits::current()
{
    Limits l;
    l.maxFlowBytes = fromEnvironment("IDESK_FLOW_MAX_BYTES", LocalFile::kDefaultDocumentCap);
    l.maxNodes = fromEnvironment("IDESK_FLOW_MAX_NODES", 100000);
    l.maxDepth = fromEnvironment("IDESK_FLOW_MAX_DEPTH", 64);
    l.maxElements = fromEnvironment("IDESK_FLOW_MAX_ELEMENTS", 10000);
    l.maxText = fromEnvironment("IDESK_FLOW_MAX_TEXT", 64LL * 1024 * 1024);
    l.maxTasks = fromEnvironment("IDESK_FLOW_MAX_TASKS", 1000);
    l.maxString = fromEnvironment("IDESK_FLOW_MAX_STRING", 64LL * 1024 * 1024);
    l.maxReadFile = fromEnvironment("IDESK_FLOW_MAX_READ_FILE", 32LL * 1024 * 1024);
    l.maxReadTotal = fromEnvironment("IDESK_FLOW_MAX_READ_TOTAL", 64LL * 1024 * 1024);
    return l;
}

QString raiseHint(const char *variable, qint64 now)
{
    return QCoreApplication::translate("KestraFlow", "Set %1 (now %2) to a larger number to allow more.")
        .arg(QLatin1String(variable))
        .arg(now);
}

} // namespace kestra
} // namespace idesk
