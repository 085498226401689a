// KestraExport, the one exporter of a preset as a Kestra flow (the app's Presets > Export and the CLI's
// `presets export --format kestra`): flow id from the name, token-like values refused, the retired host
// moved to the router with a note, an inputs file kept as a read() relative to the flow.

#include "KestraExport.h"
#include "Preset.h"

#include <QDir>
#include <QtTest>

using idesk::InferenceRequest;
using idesk::Preset;
namespace KestraExport = idesk::KestraExport;

namespace {

Preset preset(const QString &name)
{
    InferenceRequest r;
    r.model = QStringLiteral("distilbert/distilbert-base-uncased-finetuned-sst-2-english");
    r.task = QStringLiteral("text-classification");
    r.inputs = QStringLiteral("I like you");
    return Preset::fromRequest(name, r);
}

} // namespace

class TestKestraExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flowIds_data();
    void flowIds();
    void writesTheFlow();
    void refusesTokenLikeValues();
    void movesTheRetiredHost();
    void inputsFileIsReadRelativeToTheFlow();
};

void TestKestraExport::flowIds_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("id");
    QTest::newRow("plain") << "Tweet sentiment"
                           << "tweet_sentiment";
    QTest::newRow("runs and ends") << "  --Fill  mask!! "
                                   << "fill_mask";
    QTest::newRow("non-ascii") << "café"
                               << "caf";
    QTest::newRow("nothing left") << "???"
                                  << "";
}

void TestKestraExport::flowIds()
{
    QFETCH(QString, name);
    QFETCH(QString, id);
    QCOMPARE(KestraExport::flowIdFor(name), id);
}

void TestKestraExport::writesTheFlow()
{
    QString error;
    const auto yaml = KestraExport::presetFlow(preset(QStringLiteral("Tweet sentiment")), QString(), &error);
    QVERIFY2(yaml, qPrintable(error));
    QVERIFY2(yaml->contains(QLatin1String("id: tweet_sentiment")), qPrintable(*yaml));
    QVERIFY(yaml->contains(QLatin1String("io.kestra.plugin.huggingface.Inference")));
    QVERIFY(yaml->contains(QLatin1String("secret('HUGGINGFACE_API_KEY')")));
}

void TestKestraExport::refusesTokenLikeValues()
{
    Preset p = preset(QStringLiteral("leaky"));
    p.request.parameters.insert(QStringLiteral("api_key"),
                                QStringLiteral("hf_") + QStringLiteral("abcdefghij").repeated(3) + "XY");
    QString error;
    QVERIFY(!KestraExport::presetFlow(p, QString(), &error));
    QVERIFY2(error.contains(QLatin1String("parameters.api_key")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String("abcdefghij")));
}

void TestKestraExport::movesTheRetiredHost()
{
    Preset p = preset(QStringLiteral("old"));
    p.request.endpoint = QStringLiteral("https://api-inference.huggingface.co/models");
    QString error;
    QStringList notes;
    const auto yaml = KestraExport::presetFlow(p, QString(), &error, &notes);
    QVERIFY2(yaml, qPrintable(error));
    QVERIFY(!yaml->contains(QLatin1String("api-inference.huggingface.co")));
    QVERIFY(yaml->contains(QLatin1String("router.huggingface.co")));
    QCOMPARE(notes.size(), 1);
    QVERIFY(notes.first().contains(QLatin1String("retired")));
}

void TestKestraExport::inputsFileIsReadRelativeToTheFlow()
{
    Preset p = preset(QStringLiteral("from file"));
    p.inputsFile = QDir::cleanPath(QDir::tempPath() + QStringLiteral("/flows/inputs/text.txt"));
    QString error;
    const auto yaml = KestraExport::presetFlow(
        p, QDir::cleanPath(QDir::tempPath() + QStringLiteral("/flows/flow.yaml")), &error);
    QVERIFY2(yaml, qPrintable(error));
    QVERIFY2(yaml->contains(QLatin1String("read('inputs/text.txt')")), qPrintable(*yaml));
    // Outside the flow's folder read() reads nothing: the inputs are written out.
    const auto elsewhere = KestraExport::presetFlow(
        p, QDir::cleanPath(QDir::tempPath() + QStringLiteral("/other/flow.yaml")), &error);
    QVERIFY2(elsewhere, qPrintable(error));
    QVERIFY2(!elsewhere->contains(QLatin1String("read(")), qPrintable(*elsewhere));
    QVERIFY(elsewhere->contains(QLatin1String("I like you")));
}

QTEST_GUILESS_MAIN(TestKestraExport)
#include "TestKestraExport.moc"
