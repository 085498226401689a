#include "KestraBatchFlow.h"

#include "KestraTemplate.h"
#include "KestraYaml.h"
#include "TaskCatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <yaml-cpp/yaml.h>

namespace idesk::KestraBatchFlow {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("KestraBatchFlow", text);
}

// One input as the string Kestra hands the task in taskrun.value.
QString valueText(const InferenceRequest &request)
{
    if (!request.file.isEmpty() && !request.inputs.isObject())
        return QString::fromLatin1(request.file.bytes.toBase64());
    QJsonValue inputs = request.inputs;
    if (!request.file.isEmpty()) { // image + question: the file joins the JSON as "image"
        QJsonObject o = inputs.toObject();
        o.insert(QStringLiteral("image"), QString::fromLatin1(request.file.bytes.toBase64()));
        inputs = o;
    }
    return BatchInputs::valueText(inputs);
}
} // namespace

QString toYaml(const InferenceRequest &templ, const QList<BatchInput> &inputs, int concurrency,
               const KestraExportOptions &options, QString *error)
{
    const TaskSpec *spec = TaskCatalog::instance().task(templ.task);
    if ((spec && spec->inputKind == InputKind::Chat) || templ.usesCompletionsRoute()) {
        *error =
            tr("A batch of %1 requests cannot be exported to Kestra yet: their input sits inside the JSON "
               "body of an HTTP Request task. Export one request at a time instead.")
                .arg(templ.task);
        return {};
    }
    QStringList values;
    for (const BatchInput &input : inputs) {
        InferenceRequest one;
        if (!BatchInputs::apply(templ, input, &one, error))
            return {};
        values << valueText(one);
    }
    // The single-request flow for the template, with a placeholder input that becomes {{ taskrun.value }}.
    InferenceRequest shape = templ;
    shape.file = InputFile();
    shape.inputs = QStringLiteral("value");
    const QString single = KestraFlow::toFlowYaml(shape, options);
    YAML::Node root = YAML::Load(single.toStdString());
    YAML::Node task = YAML::Clone(root["tasks"][0]);
    task["inputs"] = "{{ taskrun.value }}";

    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetMapFormat(YAML::Block);
    out.SetBoolFormat(YAML::TrueFalseBool);
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << root["id"];
    out << YAML::Key << "namespace" << YAML::Value << root["namespace"];
    out << YAML::Key << "tasks" << YAML::Value << YAML::BeginSeq;
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << "each_input";
    out << YAML::Key << "type" << YAML::Value << "io.kestra.plugin.core.flow.ForEach";
    out << YAML::Key << "concurrencyLimit" << YAML::Value << qMax(1, concurrency);
    out << YAML::Key << "values" << YAML::Value << YAML::BeginSeq;
    for (const QString &v : std::as_const(values))
        out << YAML::DoubleQuoted << kestra::pebbleLiteral(v).toStdString(); // Kestra renders values
    out << YAML::EndSeq;
    out << YAML::Key << "tasks" << YAML::Value << YAML::BeginSeq << task << YAML::EndSeq;
    out << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap;

    // The single flow's comments first (the token, the task, the endpoint), then the batch's.
    QString text;
    for (const QString &line : single.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1Char('#')))
            break;
        if (!line.contains(QLatin1String("embedded base64")) &&
            !line.contains(QLatin1String("inputs are written")))
            text += line + QLatin1Char('\n');
    }
    text += QStringLiteral("# ") +
            tr("A batch of %1 inputs: the ForEach sends one request per value, at most %2 at once; each "
               "value is one input%3.")
                .arg(values.size())
                .arg(qMax(1, concurrency))
                .arg(inputs.value(0).filePath.isEmpty() ? QString() : tr(" file, base64-encoded")) +
            QLatin1Char('\n');
    QString body = QString::fromUtf8(out.c_str());
    body.replace(QStringLiteral("\ntasks:\n"), QStringLiteral("\n\ntasks:\n"));
    return text + body + QLatin1Char('\n');
}

} // namespace idesk::KestraBatchFlow
