#pragma once

#include <QByteArray>
#include <QIODevice>

namespace idesk::cli {

// Standard output for answers of any size, written through the scrubber as they stream: secrets masked
// (Scrub::secrets) and, for text a person reads, control characters escaped (Scrub::terminal). Holds at
// most a chunk: bytes go out up to the last separator (quote, comma, newline, bracket), which never
// falls inside a token or a Bearer value, so a secret is never cut in two. flush() / close() write the
// rest.
class ScrubbedOutput : public QIODevice
{
public:
    explicit ScrubbedOutput(bool text);
    ~ScrubbedOutput() override;

    void flushAll();
    void close() override;
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override;

private:
    bool emitBytes(const QByteArray &bytes);

    bool m_text;
    QByteArray m_pending;
    bool m_failed = false;
};

} // namespace idesk::cli
