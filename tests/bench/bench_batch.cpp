// idesk-bench-batch URL N CONCURRENCY: N text-classification requests through BatchRunner to URL/models/org/m
// at CONCURRENCY at most; prints {"wall_ms": ..., "ok": ..., "failed": ...} as JSON. Driven by
// tests/bench/bench_batch.py, which starts the loopback server and the Python asyncio baseline.
#include "BatchRunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        QTextStream(stderr) << "usage: idesk-bench-batch URL N CONCURRENCY\n";
        return 2;
    }
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
        QTextStream(stdout) << "{\"wall_ms\": " << clock.elapsed() << ", \"ok\": " << p.done
                            << ", \"failed\": " << p.failed << "}\n";
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
