#include "PresetsCommand.h"

#include "CliCall.h"
#include "CodeSnippets.h"
#include "KestraExport.h"
#include "KestraFlow.h"
#include "PresetStore.h"
#include "Scrub.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

namespace idesk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PresetsCommand", text);
}

void note(const QString &message)
{
    printNote(message); // names from the file: control characters escaped
}

// Preset names, requests and messages: a file someone may have sent, so scrubbed (Scrub::forDisplay).
void out(const QString &text)
{
    QTextStream o(stdout);
    o << Scrub::forDisplay(text);
}

QString usage()
{
    return tr(
        "inference-desk-cli presets list\n"
        "inference-desk-cli presets show NAME\n"
        "inference-desk-cli presets run NAME [--endpoint URL] [--no-validate] [--format pretty|json|summary] "
        "[--output FILE] ...\n"
        "inference-desk-cli presets import FILE [--name NAME] [--replace]   (a preset .json or a Kestra flow "
        ".yaml)\n"
        "inference-desk-cli presets export NAME --format kestra|json|curl|python [--output FILE]");
}

std::optional<Preset> findPreset(const PresetStore &store, const QString &name)
{
    const auto preset = store.preset(name);
    if (!preset) {
        const QStringList names = store.names();
        printError(names.isEmpty()
                       ? tr("there is no preset named \"%1\", and no presets yet (in %2): save one in "
                            "the app or use `presets import FILE`.")
                             .arg(name, QDir::toNativeSeparators(store.directory()))
                       : tr("there is no preset named \"%1\". Presets: %2.")
                             .arg(name, names.join(QLatin1String(", "))));
    }
    return preset;
}

bool writeOutput(const QString &path, const QByteArray &bytes)
{
    if (path.isEmpty()) {
        QTextStream o(stdout);
        o << Scrub::terminal(QString::fromUtf8(bytes)); // a snippet or flow: control characters escaped
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        printError(tr("cannot write %1: %2.").arg(path, file.errorString()));
        return false;
    }
    note(tr("Wrote %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

int list(const PresetStore &store)
{
    const QList<Preset> presets = store.presets();
    if (presets.isEmpty() && store.brokenFiles().isEmpty())
        out(tr("No presets yet in %1.\n").arg(QDir::toNativeSeparators(store.directory())));
    for (const Preset &p : presets) {
        const QString task = p.request.task.isEmpty() ? tr("(generic)") : p.request.task;
        out(QStringLiteral("%1\t%2\t%3\n").arg(p.name, task, p.request.model));
    }
    for (const PresetStore::BrokenFile &b : store.brokenFiles())
        out(tr("BROKEN\t%1\t%2\n").arg(QDir::toNativeSeparators(b.path), b.error));
    return 0;
}

int show(const Preset &preset)
{
    QJsonObject json = preset.toJson();
    QJsonObject request = json.value(QStringLiteral("request")).toObject();
    QJsonObject file = request.value(QStringLiteral("file")).toObject();
    if (file.contains(QStringLiteral("base64"))) {
        file.insert(QStringLiteral("base64"),
                    tr("(%1 bytes embedded)").arg(preset.request.file.bytes.size()));
        request.insert(QStringLiteral("file"), file);
        json.insert(QStringLiteral("request"), request);
    }
    out(tr("# %1\n").arg(QDir::toNativeSeparators(preset.filePath)));
    out(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)));
    return 0;
}

int runPreset(const QCommandLineParser &parser, const Preset &preset)
{
    QString error;
    auto request = preset.resolvedRequest(&error);
    if (!request) {
        printError(error);
        return 2;
    }
    CallOptions options;
    if (!applySendOptions(parser, &*request, &options, &error)) {
        printError(error);
        return 2;
    }
    options.token = resolveToken();
    options.historySource = QStringLiteral("preset:") + preset.name;
    return executeRequest(*request, options);
}

int importFile(PresetStore &store, const QCommandLineParser &parser, const QString &path)
{
    QStringList notes;
    QString error;
    const auto presets = PresetStore::readImport(path, &notes, &error);
    if (!presets) {
        printError(error);
        return 2;
    }
    for (const QString &n : notes)
        note(tr("note: %1").arg(n));
    const QString name = parser.value(QStringLiteral("name")).trimmed();
    if (!name.isEmpty() && presets->size() != 1) {
        printError(
            tr("--name works for a file with one preset; %1 holds %2. Import without --name (presets are "
               "named after the flow's tasks).")
                .arg(path)
                .arg(presets->size()));
        return 2;
    }
    const bool replace = parser.isSet(QStringLiteral("replace"));
    // Check every name first: an import is all or nothing.
    for (const Preset &p : *presets) {
        const QString target = name.isEmpty() ? p.name : name;
        if (store.contains(target) && !replace) {
            printError(
                tr("a preset named \"%1\" already exists: pass --name NEW_NAME (e.g. \"%2\"), or --replace "
                   "to overwrite it.")
                    .arg(target, store.uniqueName(target)));
            return 2;
        }
    }
    for (Preset p : *presets) {
        if (!name.isEmpty())
            p.name = name;
        Preset saved;
        if (!store.save(p, replace ? PresetStore::SaveMode::Replace : PresetStore::SaveMode::CreateOnly,
                        &error, &saved)) {
            printError(error);
            return 2;
        }
        out(tr("Imported preset \"%1\" (%2).\n").arg(saved.name, QDir::toNativeSeparators(saved.filePath)));
    }
    return 0;
}

int exportPreset(const QCommandLineParser &parser, const Preset &preset)
{
    const QString format =
        parser.isSet(QStringLiteral("format")) ? parser.value(QStringLiteral("format")).toLower() : QString();
    const QString output = parser.value(QStringLiteral("output"));
    QString error;
    if (format == QLatin1String("json")) {
        if (output.isEmpty()) {
            if (!preset.tokenLikeValue().isEmpty()) {
                printError(tr("preset \"%1\" holds something that looks like a token (%2); not exported.")
                               .arg(preset.name, preset.tokenLikeValue()));
                return 2;
            }
            Preset p = preset;
            p.filePath.clear();
            return writeOutput(QString(), p.toJsonBytes()) ? 0 : 2;
        }
        if (!PresetStore::exportFile(preset, output, &error)) {
            printError(error);
            return 2;
        }
        note(tr("Wrote %1.").arg(QDir::toNativeSeparators(output)));
        return 0;
    }
    const auto kind = CodeSnippets::kindFromName(format);
    if (!kind) {
        printError(tr("--format takes kestra, json, curl or python for export, got \"%1\".")
                       .arg(format.isEmpty() ? tr("nothing") : format));
        return 2;
    }
    if (*kind == CodeSnippets::Kind::Kestra) { // the exporter the app uses too
        QStringList notes;
        const auto yaml = KestraExport::presetFlow(preset, output, &error, &notes);
        for (const QString &n : std::as_const(notes))
            note(tr("note: %1").arg(n));
        if (!yaml) {
            printError(error);
            return 2;
        }
        return writeOutput(output, yaml->toUtf8()) ? 0 : 2;
    }
    auto request = preset.resolvedRequest(&error);
    if (!request) {
        printError(error);
        return 2;
    }
    if (request->usesRetiredEndpoint()) {
        // as `presets run` does: the retired host no longer answers
        const QString migrated = InferenceRequest::migratedEndpoint(request->endpoint);
        note(
            tr("note: %1 was retired by Hugging Face; the export uses %2.").arg(request->endpoint, migrated));
        request->endpoint = migrated;
    }
    const QString text = CodeSnippets::snippet(*kind, *request, &error);
    if (text.isEmpty()) {
        printError(error);
        return 2;
    }
    return writeOutput(output, text.toUtf8()) ? 0 : 2;
}

} // namespace

int runPresetsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Saved requests (presets), shared with the app.\n\n") + usage());
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), tr("list, show, run, import or export."));
    parser.addPositionalArgument(QStringLiteral("NAME|FILE"),
                                 tr("The preset's name, or the file to import."));
    parser.addOptions({
        {QStringLiteral("name"), tr("import: the name of the imported preset."), tr("NAME")},
        {QStringLiteral("replace"), tr("import: overwrite a preset with the same name.")},
    });
    addSendOptions(parser); // run's options; --format and --output also serve export
    QStringList positional;
    if (!parseActionCommand(parser, args, usage(), &positional))
        return 2;
    const QString action = positional.first();
    PresetStore store;
    if (action == QLatin1String("list")) {
        if (positional.size() != 1) {
            printError(tr("list takes no argument."));
            return 2;
        }
        return list(store);
    }
    if (action != QLatin1String("show") && action != QLatin1String("run") &&
        action != QLatin1String("import") && action != QLatin1String("export")) {
        printError(tr("unknown presets action \"%1\".\n%2").arg(action, usage()));
        return 2;
    }
    if (positional.size() != 2) {
        printError(
            tr("%1 takes one %2 (quote a name with spaces).\n%3")
                .arg(action, action == QLatin1String("import") ? tr("file") : tr("preset name"), usage()));
        return 2;
    }
    const QString argument = positional.at(1);
    if (action == QLatin1String("import"))
        return importFile(store, parser, argument);

    const auto preset = findPreset(store, argument);
    if (!preset)
        return 2;
    if (action == QLatin1String("show"))
        return show(*preset);
    if (action == QLatin1String("run"))
        return runPreset(parser, *preset);
    return exportPreset(parser, *preset);
}

} // namespace idesk::cli
