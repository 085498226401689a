#include "KestraExport.h"

#include "KestraFlow.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace idesk::KestraExport {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("KestraExport", text);
}
} // namespace

QString flowIdFor(const QString &name)
{
    QString id;
    for (const QChar c : name.toLower())
        id += (c.isLetterOrNumber() && c.unicode() < 128) ? c : QLatin1Char('_');
    while (id.contains(QLatin1String("__")))
        id.replace(QLatin1String("__"), QLatin1String("_"));
    if (id.startsWith(QLatin1Char('_')))
        id.remove(0, 1);
    if (id.endsWith(QLatin1Char('_')))
        id.chop(1);
    return id;
}

std::optional<QString> presetFlow(const Preset &preset, const QString &flowPath, QString *error,
                                  QStringList *notes)
{
    const QString tokenLike = preset.tokenLikeValue();
    if (!tokenLike.isEmpty()) {
        if (error)
            *error =
                tr("'%1' was not exported: %2 looks like a Hugging Face token (hf_...); remove it first.")
                    .arg(preset.name, tokenLike);
        return std::nullopt;
    }
    auto request = preset.resolvedRequest(error);
    if (!request)
        return std::nullopt;
    if (request->usesRetiredEndpoint()) {
        // The retired host no longer answers: the flow would fail in Kestra as it would here.
        const QString migrated = InferenceRequest::migratedEndpoint(request->endpoint);
        if (notes)
            notes->append(
                tr("%1 was retired by Hugging Face; the flow uses %2.").arg(request->endpoint, migrated));
        request->endpoint = migrated;
    }
    KestraExportOptions options;
    const QString id = flowIdFor(preset.name);
    if (!id.isEmpty()) {
        options.flowId = id;
        options.taskId = id;
    }
    if (!preset.inputsFile.isEmpty()) {
        // Kestra's read() (and ours) reads only inside the flow's folder: a file elsewhere is written out.
        const QDir base = flowPath.isEmpty() ? QDir::current() : QFileInfo(flowPath).absoluteDir();
        const QString relative = base.relativeFilePath(preset.inputsFile);
        if (!relative.startsWith(QLatin1String("..")) && QDir::isRelativePath(relative))
            options.inputsReadPath = relative;
    }
    return KestraFlow::toFlowYaml(*request, options);
}

} // namespace idesk::KestraExport
