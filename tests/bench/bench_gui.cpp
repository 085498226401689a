// GUI benchmarks for issues 3 and 13, driven by tests/bench/run-benchmarks.py:
//   idesk-bench-gui startup-app      the real main window, built as app/main.cpp builds it (controllers and
//                                    the History dock); prints the time of its first paint and exits
//   idesk-bench-gui startup-minimal  a minimal Qt Widgets window built in the same binary (one "Hello" label,
//                                    as Qt's own hello world); prints the time of its first paint and exits
//   idesk-bench-gui startup-empty    an empty QWidget: no text, so Qt never loads its font database
//   idesk-bench-gui idle-memory      the main window shown and idle for 1 s; prints its resident memory (kB)
//   idesk-bench-gui stall FILE.json  a feature-extraction answer shown in ResultView; prints the longest gap
//                                    of a 1 ms timer probe while it is formatted and shown
// Start-up includes loading the libraries: the caller reads CLOCK_MONOTONIC before it starts the process.
#include "HistoryDock.h"
#include "InferenceRequest.h"
#include "InferenceResult.h"
#include "MainWindow.h"
#include "ResultView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QTextStream>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace {
// Prints "stamp STAGE NANOSECONDS CPU_NANOSECONDS": CLOCK_MONOTONIC (the clock the runner read before it
// started this process) and the UI thread's CPU time. The runner prints where the time to the painted window
// went, stage by stage, and how much of it the UI thread spent working rather than waiting.
bool g_stamps = false; // the start-up modes only

void stamp(const char *stage)
{
    if (!g_stamps)
        return;
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    std::fprintf(stdout, "stamp %s %lld %lld\n", stage,
                 static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec,
                 static_cast<long long>(cpu.tv_sec) * 1000000000LL + cpu.tv_nsec);
    std::fflush(stdout);
}

qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// Times every event the UI thread handles (outermost delivery only), in wall time and in the UI thread's
// CPU time: the CPU figure does not grow when other processes take the cores, so it tells the app's own
// stalls from the machine's load. IDESK_BENCH_TRACE=MS prints each delivery longer than MS ms to stderr.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0 || !m_measuring) {
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        const qint64 cpu0 = threadCpuUs();
        QElapsedTimer wall;
        wall.start();
        const char *cls = receiver->metaObject()->className();
        const int type = int(event->type());
        const bool r = QApplication::notify(receiver, event);
        const qint64 cpu = threadCpuUs() - cpu0;
        const qint64 ns = wall.nsecsElapsed();
        --m_depth;
        longestCpuUs = qMax(longestCpuUs, cpu);
        if (m_traceMs >= 0 && ns / 1000000 >= m_traceMs)
            QTextStream(stderr) << "slice " << ns / 1000 << " us wall, " << cpu << " us cpu: " << cls
                                << " event " << type << '\n';
        return r;
    }
    void startMeasuring()
    {
        m_measuring = true;
        bool ok = false;
        const int ms = qEnvironmentVariableIntValue("IDESK_BENCH_TRACE", &ok);
        m_traceMs = ok ? ms : -1;
    }
    qint64 longestCpuUs = 0;

private:
    int m_depth = 0;
    bool m_measuring = false;
    int m_traceMs = -1;
};

// Quits the application at the first paint of the watched window. Once that paint has been delivered (the
// window and its children drawn), stamps "painted": the runner takes it as the time to the painted window.
// Quitting and tearing down come after and are not part of it (the runner times the whole process too).
class FirstPaint : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            stamp("paint-event");
            QTimer::singleShot(0, qApp, [] {
                stamp("painted");
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_done = false;
};

qint64 residentKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}
} // namespace

int main(int argc, char *argv[])
{
    g_stamps = argc > 1 && std::strncmp(argv[1], "startup", 7) == 0;
    stamp("main");
    TimedApplication app(argc, argv);
    stamp("application");
    QApplication::setOrganizationName(QStringLiteral("inference-desk-bench"));
    QApplication::setApplicationName(QStringLiteral("inference-desk-bench"));
    const QStringList args = QApplication::arguments();
    const QString mode = args.value(1);
    QTextStream out(stdout);

    if (mode == QLatin1String("startup-minimal") || mode == QLatin1String("startup-empty")) {
        QWidget window;
        window.setWindowTitle(QStringLiteral("minimal"));
        window.resize(1280, 800);
        if (mode == QLatin1String("startup-minimal"))
            new QLabel(QStringLiteral("Hello"), &window);
        FirstPaint watcher;
        window.installEventFilter(&watcher);
        stamp("window");
        window.show();
        stamp("shown");
        return app.exec();
    }
    if (mode == QLatin1String("startup-app") || mode == QLatin1String("idle-memory")) {
        idesk::MainWindow window{idesk::MainWindow::Setup{}};
        stamp("window");
        new idesk::HistoryDock(&window); // as app/main.cpp
        stamp("history-dock");
        FirstPaint watcher;
        if (mode == QLatin1String("startup-app"))
            window.installEventFilter(&watcher);
        else
            QTimer::singleShot(1000, &app, [&] {
                out << residentKb() << '\n';
                app.quit();
            });
        window.show();
        stamp("shown");
        return app.exec();
    }
    if (mode == QLatin1String("stall") && args.size() == 3) {
        QFile file(args.at(2));
        if (!file.open(QIODevice::ReadOnly))
            return 2;
        idesk::InferenceRequest request;
        request.model = QStringLiteral("sentence-transformers/all-MiniLM-L6-v2");
        request.task = QStringLiteral("feature-extraction");
        request.inputs = QStringLiteral("bench");
        idesk::InferenceResult result;
        result.status = 200;
        result.contentType = QStringLiteral("application/json");
        result.charset = QStringLiteral("UTF-8");
        result.body = file.readAll();
        result.headers = {{"Content-Type", "application/json"}};

        idesk::ResultView view;
        view.resize(1000, 700);
        view.show();
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 longest = 0;
        // A 1 ms precise probe: the longest gap between two ticks is the longest time the loop could not
        // answer, plus at most 1 ms (a 10 ms probe put a 10 ms floor under every figure).
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        probe.setInterval(1);
        QObject::connect(&probe, &QTimer::timeout, &app, [&] {
            const qint64 now = clock.elapsed();
            longest = qMax(longest, now - last);
            last = now;
        });
        QTimer done;
        done.setInterval(50);
        QObject::connect(&done, &QTimer::timeout, &app, [&] {
            if (!view.isFormatting() && clock.elapsed() > 200) {
                // Let the view paint what it produced, then report.
                QTimer::singleShot(300, &app, [&] {
                    // longest wall gap (ms), total (ms), longest UI-thread CPU slice (ms, load-independent)
                    out << longest << ' ' << clock.elapsed() << ' ' << (app.longestCpuUs + 500) / 1000
                        << '\n';
                    app.quit();
                });
                done.stop();
            }
        });
        QTimer::singleShot(50, &app, [&] { app.startMeasuring(); }); // from the next event on
        QTimer::singleShot(100, &app, [&] {
            clock.start();
            last = 0;
            probe.start();
            done.start();
            view.setResult(request, result);
        });
        return app.exec();
    }
    QTextStream(stderr)
        << "usage: idesk-bench-gui startup-app|startup-minimal|startup-empty|idle-memory|stall FILE.json\n";
    return 2;
}
