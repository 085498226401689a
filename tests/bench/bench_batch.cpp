// idesk-bench-batch URL N CONCURRENCY: N text-classification requests through BatchRunner to URL/models/org/m
// at CONCURRENCY at most; prints {"wall_ms": ..., "ok": ..., "failed": ...} as JSON.
// idesk-bench-batch --bare URL N CONCURRENCY: the same requests through bare QNetworkAccessManagers (one per
// worker, as BatchRunner has, and nothing of ours around them): the floor Qt's HTTP stack sets, so the
// benchmark can tell BatchRunner's own cost from Qt's.
// Driven by tests/bench/bench_batch.py, which starts the loopback server and the Python asyncio baseline.
#include "BatchRunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTextStream>

#include <functional>

namespace {
void printResult(qint64 ms, int ok, int failed)
{
    QTextStream(stdout) << "{\"wall_ms\": " << ms << ", \"ok\": " << ok << ", \"failed\": " << failed
                        << "}\n";
}

int runBare(QCoreApplication &app, const QUrl &url, int total, int concurrency)
{
    int next = 0;
    int ok = 0;
    int failed = 0;
    QElapsedTimer clock;
    clock.start();
    std::function<void(QNetworkAccessManager *)> sendNext = [&](QNetworkAccessManager *manager) {
        if (next >= total)
            return;
        const int i = next++;
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply =
            manager->post(request, "{\"inputs\": \"input " + QByteArray::number(i) + "\"}");
        QObject::connect(reply, &QNetworkReply::finished, manager, [&, manager, reply] {
            reply->readAll();
            ++(reply->error() == QNetworkReply::NoError ? ok : failed);
            reply->deleteLater();
            if (ok + failed == total) {
                printResult(clock.elapsed(), ok, failed);
                app.quit();
                return;
            }
            sendNext(manager);
        });
    };
    for (int n = 0; n < concurrency; ++n)
        sendNext(new QNetworkAccessManager(&app));
    return app.exec();
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    const bool bare = args.size() > 1 && args.at(1) == QLatin1String("--bare");
    if (bare)
        args.removeAt(1);
    if (args.size() != 4) {
        QTextStream(stderr) << "usage: idesk-bench-batch [--bare] URL N CONCURRENCY\n";
        return 2;
    }
    if (bare)
        return runBare(app, QUrl(args.at(1) + QStringLiteral("/models/org/m")), args.at(2).toInt(),
                       args.at(3).toInt());
    idesk::InferenceRequest templ;
    templ.endpoint = args.at(1) + QStringLiteral("/models");
    templ.model = QStringLiteral("org/m");
    templ.task = QStringLiteral("text-classification");
    QList<idesk::BatchInput> inputs;
    for (int i = 0; i < args.at(2).toInt(); ++i)
        inputs << idesk::BatchInput{QString::number(i), QString(), QStringLiteral("input %1").arg(i)};
    idesk::BatchRunner runner;
    runner.setTemplate(templ);
    runner.setInputs(inputs);
    runner.setConcurrency(args.at(3).toInt());
    QElapsedTimer clock;
    QObject::connect(&runner, &idesk::BatchRunner::finished, &app, [&] {
        const auto p = runner.progress();
        printResult(clock.elapsed(), p.done, p.failed);
        app.quit();
    });
    QString error;
    clock.start();
    if (!runner.start(false, &error)) {
        QTextStream(stderr) << error << '\n';
        return 2;
    }
    return app.exec();
}
