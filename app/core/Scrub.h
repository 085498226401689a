#pragma once

#include <QByteArray>
#include <QString>

namespace idesk {

// What we print or show passes through here: the Hugging Face token (every token this process used, see
// remember()), any "Bearer <value>" and anything shaped like a Hugging Face token (hf_ and 20 or more
// letters or digits) are masked; control characters that a terminal would obey (clear screen, OSC 52
// clipboard writes, cursor moves) are written out as visible escapes. One scrubber for the CLI and the app.
namespace Scrub {

// The masks written in place of a secret.
inline QString hidden()
{
    return QStringLiteral("[hidden]");
}

// Adds a token to mask from now on (the process's own token: HF_TOKEN, the keychain's, a flow's apiKey).
// Tokens shorter than 8 characters are not remembered (masking them would eat ordinary words).
void remember(const QString &token);

// `text` with the remembered tokens, Bearer values and hf_ tokens masked. The replacement has no quote or
// backslash, so a JSON text stays valid JSON.
QString secrets(const QString &text);
QByteArray secrets(const QByteArray &utf8);

// Control characters other than \n and \t (C0, DEL and C1) as \x1b-style escapes; nothing else changes.
QString terminal(const QString &text);

// Both: for anything a person reads (messages, error views, text answers on a terminal).
inline QString forDisplay(const QString &text)
{
    return terminal(secrets(text));
}

} // namespace Scrub

} // namespace idesk
