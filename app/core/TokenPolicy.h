#pragma once

#include <QStringList>
#include <QUrl>

namespace idesk {

// Decides whether the Hugging Face token may be attached to a request for `url`. One rule for the app and
// every CLI command:
//  - Hugging Face hosts over https get it by themselves (huggingface.co, router.huggingface.co,
//    *.endpoints.huggingface.cloud, *.hf.space, and the retired api-inference host);
//  - any other address only when the person approved its origin (scheme, host, port): approved in the app
//    (kept in the settings, read by the CLI too), named with --endpoint or --allow-host on the command line.
// Approved origins are kept as "scheme://host:port" (the port always written out), or "host:port" for
// both http and https on that port (one server listens there). A bare host ("host", as older versions
// saved them) means https on port 443 only.
class TokenPolicy
{
public:
    static bool isHuggingFaceHost(const QString &host);

    // "https://host:443" for a URL (an IPv6 host in brackets); "" when it has no http(s) scheme or host.
    static QString originOf(const QUrl &url);
    // What the person typed (scheme://host[:port][/], or host[:port]) as an approved-origin entry;
    // "" with *error (a sentence) when it is not one.
    static QString normalizedOrigin(const QString &typed, QString *error = nullptr);
    // The settings key the app and the CLI share (a list of origins: no secret).
    static QString settingsKey() { return QStringLiteral("network/approvedHosts"); }
    // The approved origins kept in the settings (entries that are not origins are dropped; bare hosts
    // read as https on 443).
    static QStringList savedOrigins();
    static void setSavedOrigins(const QStringList &origins);
    // A policy with the saved origins.
    static TokenPolicy fromSettings();

    void setApprovedOrigins(const QStringList &origins);
    QStringList approvedOrigins() const { return m_approved; }
    // Adds an origin (as normalizedOrigin() reads it, or a URL's); false when it is not one.
    bool approveOrigin(const QString &origin);
    bool isApproved(const QUrl &url) const;
    // Every address allowed (tests against loopback servers only).
    void setExplicitEndpointChosen(bool chosen) { m_any = chosen; }

    bool mayAttach(const QUrl &url) const;
    // Why the token was not attached, for the message shown to the person.
    QString refusalReason(const QUrl &url) const;

private:
    QStringList m_approved;
    bool m_any = false;
};

} // namespace idesk
