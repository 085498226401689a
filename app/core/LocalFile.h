#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace idesk {

// Reading a local file that someone else may have chosen (an input file, a preset, a saved result, a flow, a
// file a flow reads). Only regular files are read (devices, FIFOs, sockets and directories are refused, so
// /dev/zero cannot fill the memory; the kernel's files under /proc and /sys too, so /proc/self/environ cannot
// carry HF_TOKEN into a request body), and only up to a size cap, checked before and while reading. Every
// refusal is a sentence that names the file, what is wrong and, for the cap, how to raise it.
namespace LocalFile {

// Default caps. Input files (images, audio, text) may be large; the JSON and YAML files we read are small.
constexpr qint64 kDefaultInputCap = 256LL * 1024 * 1024;  // 256 MiB
constexpr qint64 kDefaultDocumentCap = 32LL * 1024 * 1024; // 32 MiB

// "123", "512K", "20M", "2G" (powers of 1024, an optional trailing B) -> the number; -1 when unreadable.
qint64 parseSize(QString text);

// The input-file cap in force: IDESK_MAX_INPUT_FILE (bytes, or with a K/M/G suffix) or kDefaultInputCap.
qint64 inputCap();

// The bytes of the regular file at path, at most maxBytes of them; nullopt with *error set otherwise.
// limitHint is appended to the "too large" sentence to say how to raise the cap (e.g. "Set
// IDESK_MAX_INPUT_FILE to allow more."); when empty, a sentence naming IDESK_MAX_INPUT_FILE is used.
std::optional<QByteArray> read(const QString &path, qint64 maxBytes, QString *error,
                               const QString &limitHint = QString());

// A short human size: "812 B", "3.4 KB", "12 MB", "1.5 GB".
QString humanSize(qint64 bytes);

} // namespace LocalFile
} // namespace idesk
