// Benchmark: a chat stream of 5,000 tokens replayed by the loopback server without delay, through a real
// InferenceClient into a shown ChatView. Prints
//  - the time from the first byte of the stream (first event) to its text on screen,
//  - the tokens per second the view sustains (first event to the last token on screen),
//  - the longest event-loop stall, measured by a 10 ms timer probe running the whole time,
// and checks them against issue 8's targets (>= 5,000 tokens/s, stall <= 50 ms). Exit code 1 when a
// target is missed. Usage: idesk-bench-chat-view [tokens [chunk_size]] (chunk_size: bytes per write of
// the server, 0 = 64 KiB; runs offscreen when no display is set).
#include "ReplayServer.h"

#include "ChatCompletion.h"
#include "InferenceClient.h"
#include "views/ChatView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace idesk;

namespace {
QByteArray makeStream(int tokens, QString *text)
{
    QByteArray out;
    out.reserve(tokens * 160);
    for (int i = 0; i < tokens; ++i) {
        const QString token = (i % 12 == 11) ? QStringLiteral(".\n") : QStringLiteral(" word%1").arg(i);
        *text += token;
        QJsonObject delta{{QStringLiteral("content"), token}};
        if (i == 0)
            delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        const QJsonObject chunk{
            {QStringLiteral("id"), QStringLiteral("bench")},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("model"), QStringLiteral("bench/model")},
            {QStringLiteral("choices"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("index"), 0},
                             {QStringLiteral("delta"), delta},
                             {QStringLiteral("finish_reason"),
                              i + 1 == tokens ? QJsonValue(QStringLiteral("length")) : QJsonValue()}}}}};
        out += "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
    }
    out += "data: [DONE]\n\n";
    return out;
}
} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int tokens = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 5000;
    const int chunkSize =
        argc > 2 ? std::max(0, QString::fromLocal8Bit(argv[2]).toInt()) : 0; // 0: as fast as possible
    QTextStream out(stdout);

    test::ReplayServer server(test::ReplayServer::Http);
    if (!server.isRunning()) {
        out << "replay server did not start: " << server.errorString() << '\n';
        return 2;
    }
    QString expected;
    const QByteArray stream = makeStream(tokens, &expected);
    server.queue(QJsonArray{
        QJsonObject{{QStringLiteral("status"), 200},
                    {QStringLiteral("headers"),
                     QJsonObject{{QStringLiteral("Content-Type"), QStringLiteral("text/event-stream")}}},
                    {QStringLiteral("body"), QString::fromUtf8(stream)},
                    {QStringLiteral("chunk_size"), chunkSize}}});

    ChatView view;
    view.resize(900, 700);
    view.show();
    QApplication::processEvents();

    InferenceRequest request;
    request.task = ChatCompletion::taskId();
    request.model = QStringLiteral("bench/model");
    request.endpoint = server.urlString();
    request.inputs = QStringLiteral("Write a long text.");
    request.stream = true;
    request.options.maxContentLength = 64LL * 1024 * 1024;

    InferenceClient client;
    QElapsedTimer clock;
    qint64 firstEventMs = -1;
    qint64 lastEventMs = -1;
    int events = 0;
    QObject::connect(&client, &InferenceClient::streamEvent, &view, [&](const QByteArray &data) {
        if (firstEventMs < 0)
            firstEventMs = clock.elapsed();
        ++events;
        view.addStreamEvent(data);
        lastEventMs = clock.elapsed();
    });
    // The event-loop probe: a 10 ms timer; the longest gap beyond its period is the worst stall.
    QElapsedTimer probeClock;
    qint64 lastTick = -1;
    qint64 worstGap = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = probeClock.elapsed();
        if (lastTick >= 0)
            worstGap = std::max(worstGap, now - lastTick);
        lastTick = now;
    });
    InferenceResult result;
    QEventLoop loop;
    QObject::connect(&client, &InferenceClient::finished, &loop, [&](const InferenceResult &r) {
        result = r;
        view.finishStream(r);
        loop.quit();
    });

    // The probe runs 200 ms before and after the stream, so that a stall at either end is seen.
    probeClock.start();
    probe.start();
    {
        QEventLoop warmUp;
        QTimer::singleShot(200, &warmUp, &QEventLoop::quit);
        warmUp.exec();
    }
    clock.start();
    const qint64 viewStartMs = clock.elapsed();
    view.startStream();
    client.start(request);
    loop.exec();
    // Let the last paint happen, still under the probe.
    QApplication::processEvents();
    const qint64 onScreenMs = clock.elapsed();
    {
        QEventLoop coolDown;
        QTimer::singleShot(200, &coolDown, &QEventLoop::quit);
        coolDown.exec();
    }
    probe.stop();

    const bool textOk = view.text() == expected;
    // ChatView::firstTextMs() counts from its startStream(): the text was in the widget (painted at the
    // next paint event) that long after the first event.
    const qint64 firstToText =
        view.firstTextMs() >= 0 && firstEventMs >= 0
            ? std::max<qint64>(0, viewStartMs + view.firstTextMs() - firstEventMs) // 1 ms resolution
            : -1;
    const double seconds = std::max<qint64>(1, onScreenMs - firstEventMs) / 1000.0;
    const double tokensPerSecond = tokens / seconds;
    const qint64 stall = std::max<qint64>(0, worstGap - 10);

    out << "chat view benchmark: " << tokens << " tokens, " << stream.size() << " bytes of SSE, " << events
        << " events, answer " << (result.ok() ? "ok" : qPrintable(result.errorMessage)) << ", text "
        << (textOk ? "complete" : "WRONG") << '\n';
    out << "first byte to text on screen: " << firstToText << " ms (first event at " << firstEventMs
        << " ms after send)\n";
    out << "tokens per second the view sustains: " << qRound(tokensPerSecond) << " (" << tokens
        << " tokens in " << (onScreenMs - firstEventMs) << " ms, last event at " << lastEventMs << " ms)\n";
    out << "longest event-loop stall (10 ms timer probe): " << stall << " ms (worst gap between ticks "
        << worstGap << " ms)\n";
    const bool fast = tokensPerSecond >= 5000;
    const bool smooth = stall <= 50;
    out << "targets: >= 5000 tokens/s " << (fast ? "met" : "MISSED") << "; stall <= 50 ms "
        << (smooth ? "met" : "MISSED") << '\n';
    out.flush();
    return result.ok() && textOk && fast && smooth ? 0 : 1;
}
