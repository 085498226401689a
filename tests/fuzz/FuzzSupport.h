#pragma once

// Shared by every libFuzzer target in tests/fuzz: a QCoreApplication (some readers ask Qt for
// translations or the MIME database), Qt's warnings silenced (a hostile input makes plenty, and
// printing them would halve the executions per second), and a check that aborts, so that libFuzzer
// keeps the input as a crash.

#include <QByteArray>
#include <QCoreApplication>
#include <QtGlobal>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace idesk::fuzz {

inline void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        std::abort();
    }
}

inline void initialize()
{
    static int argc = 1;
    static char name[] = "idesk-fuzz";
    static char *argv[] = {name, nullptr};
    qInstallMessageHandler(quietMessages);
    static QCoreApplication app(argc, argv);
}

// Aborts with a message: libFuzzer saves the input as crash-*.
inline void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "idesk fuzz check failed: %s\n", what);
        std::abort();
    }
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

// Splits the input at its first '\n': the line (a task id, a mode...) and the rest.
inline QByteArray takeLine(QByteArray *input)
{
    const qsizetype newline = input->indexOf('\n');
    if (newline < 0) {
        QByteArray line = *input;
        input->clear();
        return line;
    }
    QByteArray line = input->left(newline);
    input->remove(0, newline + 1);
    return line;
}

} // namespace idesk::fuzz

#define IDESK_FUZZ_INITIALIZE                                                                            \
    extern "C" int LLVMFuzzerInitialize(int *, char ***)                                                 \
    {                                                                                                    \
        idesk::fuzz::initialize();                                                                       \
        return 0;                                                                                        \
    }
