// One screenshot per result view, each drawn from a saved result (the file Save result writes), in the
// Fusion style with a light palette and, for a few, a dark one. tests/gui/make-view-screenshots.sh runs
// this with IDESK_SCREENSHOT_DIR=docs/screenshots; under ctest the PNGs go to a temporary folder and
// the test checks that each one was written and is not blank.

#include "Recording.h"
#include "RecordingResult.h"
#include "ResultView.h"
#include "SavedResult.h"
#include "TestConfig.h"
#include "views/ResultRenderer.h"

#include <QApplication>
#include <QDir>
#include <QPalette>
#include <QSet>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace idesk;
using namespace idesk::test;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x37));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0xa0));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x66));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::ToolTipBase, QColor(0x33, 0x33, 0x37));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    return p;
}

// Distinct colours in a sample of the image: a blank or one-colour grab has very few.
int colourCount(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace

class TestViewScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void screenshot_data();
    void screenshot();

private:
    QString m_out;
    QTemporaryDir m_temp;
    QPalette m_light;
};

void TestViewScreenshots::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_light = QApplication::style()->standardPalette();
    m_out = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (m_out.isEmpty())
        m_out = m_temp.path();
    QVERIFY(QDir().mkpath(m_out));
}

void TestViewScreenshots::screenshot_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("tab"); // 0 Result, 1 JSON, 2 Raw
    QTest::addColumn<bool>("dark");
    auto row = [](const char *name, const char *file, int tab = 0, bool dark = false) {
        QTest::newRow(name) << QString::fromLatin1(file) << QString::fromLatin1(name) << tab << dark;
    };
    row("scores", "image-classification/r2504_TIC_image_classification_hf-inference-1.json");
    row("scores-dark",
        "zero-shot-classification/r2504_TIC_zero_shot_classification_multi_label_hf-inference-1.json", 0,
        true);
    row("fill-mask", "kestra/fill-mask-0.json");
    row("entities", "token-classification/a2501_ICV_token_classification-0.json");
    row("entities-dark", "token-classification/a2501_ICV_token_classification-0.json", 0, true);
    row("answer", "visual-question-answering/r2504_TIC_visual_question_answering_hf-inference-1.json");
    row("answer-context", "question-answering/a2501_ICV_question_answering-0.json");
    row("table-answer", "table-question-answering/a2501_ICV_table_question_answering-0.json");
    row("boxes", "object-detection/r2504_TIC_object_detection_hf-inference-1.json");
    row("masks", "image-segmentation/r2504_TIC_image_segmentation_hf-inference-1.json");
    row("image", "text-to-image/r2504_TIC_text_to_image_default_hf-inference-1.json");
    row("audio", "audio-to-audio/r2504_TIC_audio_to_audio_hf-inference-1.json");
    row("text", "summarization/a2501_ICV_summarization-0.json");
    row("chat", "conversational/r2504_TIC_chat_completion_no_stream_hf-inference-1.json");
    row("vectors", "feature-extraction/r2504_TIC_feature_extraction_with_transformers_hf-inference-1.json");
    row("error", "text-classification/e250123_TIC_text_classification_hf-inference-0.json");
    row("json-tree", "text-to-image/r2504_TIC_text_to_image_default_black-forest-labs-5.json");
    row("json-text",
        "zero-shot-classification/r2504_TIC_zero_shot_classification_multi_label_hf-inference-1.json", 1);
    row("json-text-dark", "object-detection/r2504_TIC_object_detection_hf-inference-1.json", 1, true);
    row("raw", "audio-classification/r2504_TIC_audio_classification_hf-inference-1.json", 2);
}

void TestViewScreenshots::screenshot()
{
    QFETCH(QString, file);
    QFETCH(QString, name);
    QFETCH(int, tab);
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? darkPalette() : m_light);

    // Through a saved result, as a person who opens a shared answer would see it.
    QString error;
    const auto rec = Recording::load(file, &error);
    QVERIFY2(rec, qPrintable(error));
    SavedResult saved;
    saved.request = requestFromRecording(*rec);
    saved.result = resultFromRecording(*rec);
    const QString savedPath = m_temp.filePath(name + QStringLiteral(".result.json"));
    QVERIFY2(saved.save(savedPath, &error), qPrintable(error));

    ResultView view;
    view.resize(860, 560);
    view.show();
    QVERIFY2(view.openResult(savedPath, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFormatting() && view.renderer(), 30000);
    view.tabs()->setCurrentIndex(tab);
    QTest::qWait(50); // let layouts settle before the grab
    const QImage image = view.grab().toImage();
    const QString png = QDir(m_out).filePath(QStringLiteral("views-%1.png").arg(name));
    QVERIFY2(image.save(png), qPrintable(png));
    QVERIFY(QFileInfo(png).size() > 1000);
    QVERIFY2(colourCount(image) > 8, qPrintable(name));
    QApplication::setPalette(m_light);
}

QTEST_MAIN(TestViewScreenshots)
#include "TestViewScreenshots.moc"
