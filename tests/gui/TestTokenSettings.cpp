// Settings > Hugging Face token, as a person uses it: the real dialog over a real OS keychain (a private,
// unlocked gnome-keyring from tests/support/session-services.sh), checked from outside with secret-tool;
// the no-keychain path (NullSecretStore) and "use for this session only"; "Test token" against a loopback
// Hub; the approved hosts (HostApproval, ApprovedHostsDialog); and no token in any XDG file afterwards.
#include "ApprovedHostsDialog.h"
#include "HostApproval.h"
#include "KeychainSecretStore.h"
#include "MemorySecretStore.h"
#include "NullSecretStore.h"
#include "ReplayServer.h"
#include "SessionServices.h"
#include "TestConfig.h"
#include "TokenResolver.h"
#include "TokenService.h"
#include "TokenSettingsDialog.h"
#include "WhoAmI.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QToolButton>
#include <QUuid>
#include <QtTest>

#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <vector>

using idesk::ApprovedHostsDialog;
using idesk::HostApproval;
using idesk::NullSecretStore;
using idesk::SecretStore;
using idesk::TokenResolver;
using idesk::TokenService;
using idesk::TokenSettingsDialog;

namespace {

QString freshToken()
{
    return QStringLiteral("hf_") + QUuid::createUuid().toString(QUuid::Id128);
}

QString secretToolSearch()
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("secret-tool"),
                  {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"),
                   QStringLiteral("inference-desk")});
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(5000);
        return QStringLiteral("<secret-tool did not finish>");
    }
    return QString::fromUtf8(process.readAll());
}

// Every text the dialog shows (labels, buttons, line edits but the token field).
QString visibleTexts(const QWidget &root, const QLineEdit *except)
{
    QStringList texts;
    for (const QLabel *label : root.findChildren<QLabel *>())
        texts << label->text() << label->toolTip();
    for (const QAbstractButton *button : root.findChildren<QAbstractButton *>())
        texts << button->text();
    for (const QLineEdit *edit : root.findChildren<QLineEdit *>())
        if (edit != except)
            texts << edit->text();
    texts << root.windowTitle();
    return texts.join(QLatin1Char('\n'));
}

QJsonObject whoamiAnswer(bool mayCallProviders)
{
    const QJsonArray permissions = mayCallProviders ? QJsonArray{QStringLiteral("inference.serverless.write")}
                                                    : QJsonArray{QStringLiteral("repo.content.read")};
    const QJsonObject body{
        {QStringLiteral("type"), QStringLiteral("user")},
        {QStringLiteral("name"), QStringLiteral("test-user")},
        {QStringLiteral("fullname"), QStringLiteral("Test User")},
        {QStringLiteral("auth"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("access_token")},
                     {QStringLiteral("accessToken"),
                      QJsonObject{{QStringLiteral("displayName"), QStringLiteral("desk")},
                                  {QStringLiteral("role"), QStringLiteral("fineGrained")},
                                  {QStringLiteral("fineGrained"),
                                   QJsonObject{{QStringLiteral("global"), permissions},
                                               {QStringLiteral("scoped"), QJsonArray{}}}}}}}}};
    return QJsonObject{{QStringLiteral("status"), 200}, {QStringLiteral("body"), body}};
}

// A keychain that answers only when the test says so, like one waiting behind a password prompt until
// KeychainSecretStore's own timeout ends the job.
class HeldStore : public SecretStore
{
public:
    using SecretStore::SecretStore;
    void read(const QString &) override { ++pending; }
    void write(const QString &, const QString &) override { ++pending; }
    void remove(const QString &) override { ++pending; }
    void answer(Status status, const QString &message)
    {
        --pending;
        Q_EMIT done(status, QString(), message);
    }
    int pending = 0;
};

} // namespace

class TestTokenSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void showHideField();
    void saveToKeychain();
    void removeFromKeychain();
    void environmentComesFirst();
    void noKeychainSessionOnly();
    void stuckKeychainNeverFreezes();
    void testTokenWithoutProvidersPermission();
    void testTokenWithProvidersPermission();
    void hostApprovalAskedOnce();
    void approvedHostsDialogRevokes();
    void noTokenInXdgFiles();
    void cleanupTestCase();

private:
    bool waitIdle(TokenService &service);
    void grab(QWidget &widget, const QString &name);
    QStringList m_usedTokens;
};

void TestTokenSettings::initTestCase()
{
    QCOMPARE(qEnvironmentVariable("IDESK_SESSION_SERVICES"), QStringLiteral("1"));
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "no private D-Bus session");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty(),
             "secret-tool is missing: apt-get install libsecret-tools");
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_ENDPOINT");
    // Settings go to the private XDG_CONFIG_HOME of session-services.sh (scanned at the end).
    QCoreApplication::setOrganizationName(QStringLiteral("inference-desk"));
    QCoreApplication::setApplicationName(QStringLiteral("TestTokenSettings"));
    idesk::KeychainSecretStore store;
    QSignalSpy spy(&store, &SecretStore::done);
    store.remove(SecretStore::tokenKey());
    QVERIFY(spy.wait(15000));
}

void TestTokenSettings::init()
{
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_ENDPOINT");
}

bool TestTokenSettings::waitIdle(TokenService &service)
{
    return QTest::qWaitFor([&]() { return service.isResolved() && !service.isBusy(); }, 15000);
}

void TestTokenSettings::grab(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("IDESK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QApplication::processEvents();
    const QPixmap shot = widget.grab();
    QVERIFY(!shot.isNull());
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(shot.save(QDir(dir).filePath(name)));
}

void TestTokenSettings::showHideField()
{
    TokenService service;
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("hf_typed"));
    dialog.showButton()->click();
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Normal);
    QCOMPARE(dialog.showButton()->text(), QStringLiteral("Hide"));
    dialog.showButton()->click();
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(waitIdle(service));
}

void TestTokenSettings::saveToKeychain()
{
    TokenService service;
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(waitIdle(service));
    QVERIFY2(dialog.sourceLabel()->text().contains(QLatin1String("No token in use")),
             qPrintable(dialog.sourceLabel()->text()));
    QVERIFY(!dialog.saveButton()->isEnabled()); // nothing typed yet
    QVERIFY(dialog.noKeychainPanel()->isHidden());

    const QString token = freshToken();
    m_usedTokens << token;
    QTest::keyClicks(dialog.tokenEdit(), token);
    QVERIFY(dialog.saveButton()->isEnabled());
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    // Asynchronous: the dialog is busy, not frozen, and refuses a second operation meanwhile.
    QVERIFY(service.isBusy());
    QVERIFY(dialog.busyIndicator()->isVisible());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(!dialog.removeButton()->isEnabled());
    QVERIFY(waitIdle(service));
    QVERIFY(!dialog.busyIndicator()->isVisible());

    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("Saved in the keychain")),
             qPrintable(dialog.messageLabel()->text()));
    QVERIFY(dialog.tokenEdit()->text().isEmpty());
    const QString found = secretToolSearch();
    QVERIFY2(found.contains(QLatin1String("attribute.user = huggingface-token")), qPrintable(found));
    QVERIFY2(found.contains(QStringLiteral("secret = ") + token), "secret-tool finds another secret");

    const QString masked = TokenResolver::mask(token);
    QVERIFY(masked.startsWith(QLatin1String("hf_")) && masked.endsWith(token.right(4)));
    QVERIFY2(dialog.sourceLabel()->text().contains(QLatin1String("keychain")),
             qPrintable(dialog.sourceLabel()->text()));
    QVERIFY2(dialog.sourceLabel()->text().contains(masked), qPrintable(dialog.sourceLabel()->text()));
    QVERIFY(!visibleTexts(dialog, dialog.tokenEdit()).contains(token));
    QCOMPARE(service.token(), token);
    QCOMPARE(service.current().source, TokenResolver::Source::Keychain);
    grab(dialog, QStringLiteral("token-settings.png"));

    // A second dialog (the app opened again) finds it in the keychain.
    TokenService again;
    TokenSettingsDialog second(&again);
    QVERIFY(waitIdle(again));
    QVERIFY(second.sourceLabel()->text().contains(masked));
    QVERIFY(!visibleTexts(second, second.tokenEdit()).contains(token));
}

void TestTokenSettings::removeFromKeychain()
{
    TokenService service;
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(waitIdle(service));
    QVERIFY2(service.current().hasToken(), "saveToKeychain left no token to remove");
    const QString stored = service.token();

    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QVERIFY(dialog.busyIndicator()->isVisible());
    QVERIFY(waitIdle(service));
    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("removed")),
             qPrintable(dialog.messageLabel()->text()));
    const QString after = secretToolSearch();
    QVERIFY2(!after.contains(QLatin1String("huggingface-token")), "the item is still in the keyring");
    QVERIFY(!after.contains(stored));
    QVERIFY(dialog.sourceLabel()->text().contains(QLatin1String("No token in use")));
    QVERIFY(service.token().isEmpty());

    // Removing again says there was nothing.
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QVERIFY(waitIdle(service));
    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("no stored token")),
             qPrintable(dialog.messageLabel()->text()));
}

void TestTokenSettings::environmentComesFirst()
{
    const QString envToken = freshToken();
    m_usedTokens << envToken;
    qputenv("HF_TOKEN", envToken.toUtf8());
    TokenService service;
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(waitIdle(service));
    qunsetenv("HF_TOKEN");
    QCOMPARE(service.current().source, TokenResolver::Source::Environment);
    const QString text = dialog.sourceLabel()->text();
    QVERIFY2(text.contains(QLatin1String("environment (HF_TOKEN)")), qPrintable(text));
    QVERIFY2(text.contains(TokenResolver::mask(envToken)), qPrintable(text));
    QVERIFY(!visibleTexts(dialog, dialog.tokenEdit()).contains(envToken));
}

void TestTokenSettings::noKeychainSessionOnly()
{
    NullSecretStore none;
    TokenService service(&none);
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(waitIdle(service));
    // The clear message and the choice.
    QVERIFY(service.keychainUnavailable());
    QVERIFY(dialog.noKeychainPanel()->isVisible());
    QVERIFY(dialog.sessionButton()->isVisible());
    const QString panel = visibleTexts(*dialog.noKeychainPanel(), nullptr);
    QVERIFY2(panel.contains(QLatin1String("No keychain available")), qPrintable(panel));
    QVERIFY2(panel.contains(QLatin1String("HF_TOKEN")), qPrintable(panel));
    QVERIFY2(panel.contains(QLatin1String("session only")), qPrintable(panel));

    const QString token = freshToken();
    m_usedTokens << token;
    QTest::keyClicks(dialog.tokenEdit(), token);
    grab(dialog, QStringLiteral("token-settings-no-keychain.png"));
    // Save has no fallback: it says so and stores nothing.
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QVERIFY(waitIdle(service));
    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("no keychain")),
             qPrintable(dialog.messageLabel()->text()));
    QVERIFY(!service.current().hasToken());
    QCOMPARE(dialog.tokenEdit()->text(), token); // kept for the session choice

    QTest::mouseClick(dialog.sessionButton(), Qt::LeftButton);
    QVERIFY(waitIdle(service));
    QVERIFY(service.isSessionOnly());
    QCOMPARE(service.current().source, TokenResolver::Source::Session);
    QCOMPARE(service.token(), token);
    const QString text = dialog.sourceLabel()->text();
    QVERIFY2(text.contains(QLatin1String("session only")), qPrintable(text));
    QVERIFY2(text.contains(TokenResolver::mask(token)), qPrintable(text));
    QVERIFY(!visibleTexts(dialog, dialog.tokenEdit()).contains(token));
    QVERIFY(dialog.tokenEdit()->text().isEmpty());
    QVERIFY(!secretToolSearch().contains(token));

    // Remove forgets the session token.
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QVERIFY(waitIdle(service));
    QVERIFY(!service.isSessionOnly());
    QVERIFY(service.token().isEmpty());
    QVERIFY(dialog.sourceLabel()->text().contains(QLatin1String("No token in use")));
}

void TestTokenSettings::stuckKeychainNeverFreezes()
{
    HeldStore held;
    TokenService service(&held);
    TokenSettingsDialog dialog(&service);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // The first look at the keychain has not been answered: busy, and still usable.
    QCOMPARE(held.pending, 1);
    QVERIFY(dialog.busyIndicator()->isVisible());
    QVERIFY(dialog.sourceLabel()->text().contains(QLatin1String("Looking for a token")));
    QTest::keyClicks(dialog.tokenEdit(), QStringLiteral("hf_typed_while_waiting"));
    QCOMPARE(dialog.tokenEdit()->text(), QStringLiteral("hf_typed_while_waiting"));
    dialog.showButton()->click();
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Normal);
    QVERIFY(!dialog.saveButton()->isEnabled()); // one keychain operation at a time

    const QString timedOut = QStringLiteral("The keychain did not answer within 10 seconds (is it locked?).");
    held.answer(SecretStore::Status::TimedOut, timedOut);
    QVERIFY(waitIdle(service));
    QVERIFY(!dialog.busyIndicator()->isVisible());
    QVERIFY2(dialog.sourceLabel()->text().contains(timedOut), qPrintable(dialog.sourceLabel()->text()));
    QVERIFY(dialog.saveButton()->isEnabled());

    // A save that times out says what happened and leaves the typed token for another try.
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QTRY_COMPARE(held.pending, 1);
    QVERIFY(dialog.busyIndicator()->isVisible());
    held.answer(SecretStore::Status::TimedOut, timedOut);
    QVERIFY(waitIdle(service));
    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("not saved")),
             qPrintable(dialog.messageLabel()->text()));
    QVERIFY(dialog.messageLabel()->text().contains(timedOut));
    QCOMPARE(dialog.tokenEdit()->text(), QStringLiteral("hf_typed_while_waiting"));
}

void TestTokenSettings::testTokenWithoutProvidersPermission()
{
    idesk::test::ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{whoamiAnswer(false)}));
    qputenv("HF_ENDPOINT", server.urlString().toUtf8());
    TokenService service;
    TokenSettingsDialog dialog(&service);
    qunsetenv("HF_ENDPOINT");
    dialog.show();
    QVERIFY(waitIdle(service));

    const QString token = freshToken();
    m_usedTokens << token;
    QTest::keyClicks(dialog.tokenEdit(), token);
    QSignalSpy tested(&dialog, &TokenSettingsDialog::tokenTested);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(15000));
    const auto info = tested.takeFirst().at(0).value<idesk::WhoAmI::Info>();
    QVERIFY(info.ok);
    QVERIFY(!info.mayCallInferenceProviders);
    const QString shown = dialog.testResultLabel()->text();
    QVERIFY2(shown.contains(QLatin1String("test-user")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("may not call Inference Providers")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("Make calls to Inference Providers")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("href=\"%1\"").arg(idesk::WhoAmI::newTokenUrl().toHtmlEscaped())),
             qPrintable(shown));
    QVERIFY(!shown.contains(token));

    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    const QJsonObject request = received.at(0).toObject();
    QCOMPARE(request.value(QLatin1String("path")).toString(), QStringLiteral("/api/whoami-v2"));
    QCOMPARE(
        request.value(QLatin1String("headers")).toObject().value(QLatin1String("authorization")).toString(),
        QStringLiteral("Bearer ") + token);
    // Testing does not store anything.
    QVERIFY(!secretToolSearch().contains(token));
}

void TestTokenSettings::testTokenWithProvidersPermission()
{
    idesk::test::ReplayServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    QVERIFY(server.queue(QJsonArray{whoamiAnswer(true)}));
    // The token in use (session only here) is tested when the field is empty.
    NullSecretStore none;
    TokenService service(&none);
    const QString token = freshToken();
    m_usedTokens << token;
    service.useForSession(token);
    QVERIFY(waitIdle(service));
    qputenv("HF_ENDPOINT", server.urlString().toUtf8());
    TokenSettingsDialog dialog(&service);
    qunsetenv("HF_ENDPOINT");
    QVERIFY(waitIdle(service));
    QSignalSpy tested(&dialog, &TokenSettingsDialog::tokenTested);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(15000));
    const QString shown = dialog.testResultLabel()->text();
    QVERIFY2(shown.contains(QLatin1String("and may call Inference Providers")), qPrintable(shown));
    QVERIFY(!shown.contains(QLatin1String("href=")));
    const QJsonArray received = server.requests();
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.at(0)
                 .toObject()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .value(QLatin1String("authorization"))
                 .toString(),
             QStringLiteral("Bearer ") + token);
}

void TestTokenSettings::hostApprovalAskedOnce()
{
    HostApproval::setApprovedOrigins({});
    QWidget window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    HostApproval approval(&window);
    QSignalSpy answered(&approval, &HostApproval::answered);

    // Hugging Face hosts need no question.
    approval.ask(QUrl(QStringLiteral("https://router.huggingface.co/v1")));
    QVERIFY(!approval.pendingQuestion());
    QVERIFY(answered.wait(5000));
    QCOMPARE(answered.takeFirst().at(1).toBool(), true);

    approval.ask(QUrl(QStringLiteral("https://inference.example.com:8443/models/x")));
    QMessageBox *box = approval.pendingQuestion();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY2(box->text().contains(
                 QLatin1String("Send your Hugging Face token to https://inference.example.com:8443?")),
             qPrintable(box->text()));
    QAbstractButton *yes = nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::AcceptRole)
            yes = b;
    QVERIFY(yes);
    yes->click();
    QTRY_COMPARE(answered.count(), 1);
    QList<QVariant> args = answered.takeFirst();
    QCOMPARE(args.at(0).toString(), QStringLiteral("https://inference.example.com:8443"));
    QCOMPARE(args.at(1).toBool(), true);
    QCOMPARE(QSettings().value(HostApproval::settingsKey()).toStringList(),
             QStringList{QStringLiteral("https://inference.example.com:8443")});
    QVERIFY(
        HostApproval::policy().mayAttach(QUrl(QStringLiteral("https://inference.example.com:8443/models"))));
    // Per origin: another port or plain http of the same host is not approved.
    QVERIFY(!HostApproval::policy().mayAttach(QUrl(QStringLiteral("https://inference.example.com:8444/m"))));
    QVERIFY(!HostApproval::policy().mayAttach(QUrl(QStringLiteral("http://inference.example.com:8443/m"))));

    // Asked once: the next time answers without a question.
    approval.ask(QUrl(QStringLiteral("https://INFERENCE.example.com:8443/other")));
    QVERIFY(!approval.pendingQuestion());
    QVERIFY(answered.wait(5000));
    QCOMPARE(answered.takeFirst().at(1).toBool(), true);

    // A no is remembered for the session, and nothing is approved.
    const QUrl evil(QStringLiteral("https://evil.example.net/models"));
    approval.ask(evil);
    box = approval.pendingQuestion();
    QVERIFY(box);
    QAbstractButton *no = nullptr;
    for (QAbstractButton *b : box->buttons())
        if (box->buttonRole(b) == QMessageBox::RejectRole)
            no = b;
    QVERIFY(no);
    no->click();
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.takeFirst().at(1).toBool(), false);
    QVERIFY(approval.wasDeclined(evil));
    QVERIFY(!HostApproval::isApproved(evil));
    approval.ask(evil);
    QVERIFY(!approval.pendingQuestion());
    QVERIFY(answered.wait(5000));
    QCOMPARE(answered.takeFirst().at(1).toBool(), false);
    QVERIFY(!HostApproval::policy().mayAttach(evil));

    // A host saved alone by an older version reads as https on 443 only.
    QSettings().setValue(HostApproval::settingsKey(), QStringList{QStringLiteral("127.0.0.1")});
    QCOMPARE(HostApproval::approvedOrigins(), QStringList{QStringLiteral("https://127.0.0.1:443")});
    QVERIFY(!HostApproval::isApproved(QUrl(QStringLiteral("http://127.0.0.1:8765/models"))));
    QVERIFY(HostApproval::isApproved(QUrl(QStringLiteral("https://127.0.0.1/models"))));
    HostApproval::setApprovedOrigins({});
}

void TestTokenSettings::approvedHostsDialogRevokes()
{
    HostApproval::setApprovedOrigins(
        {QStringLiteral("a.example.com"), QStringLiteral("http://b.example.com:8080")});
    ApprovedHostsDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.hostList()->count(), 2);
    dialog.hostList()->setCurrentRow(0);
    // The dialog shows origins.
    QCOMPARE(dialog.hostList()->currentItem()->text(), QStringLiteral("http://b.example.com:8080"));
    QCOMPARE(dialog.hostList()->item(1)->text(), QStringLiteral("https://a.example.com:443"));
    QVERIFY(dialog.revokeButton()->isEnabled());
    QTest::mouseClick(dialog.revokeButton(), Qt::LeftButton);
    QCOMPARE(HostApproval::approvedOrigins(), QStringList{QStringLiteral("https://a.example.com:443")});
    QCOMPARE(dialog.hostList()->count(), 1);
    QVERIFY(dialog.messageLabel()->text().contains(QLatin1String("http://b.example.com:8080")));
    QVERIFY(!HostApproval::policy().mayAttach(QUrl(QStringLiteral("http://b.example.com:8080/x"))));

    // Adding by hand: a URL is reduced to its origin; a Hugging Face host needs no approval; junk is refused.
    QTest::keyClicks(dialog.hostEdit(), QStringLiteral("https://C.example.com:9000/models"));
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QCOMPARE(HostApproval::approvedOrigins(), (QStringList{QStringLiteral("https://a.example.com:443"),
                                                           QStringLiteral("https://c.example.com:9000")}));
    QTest::keyClicks(dialog.hostEdit(), QStringLiteral("huggingface.co"));
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QVERIFY(dialog.messageLabel()->text().contains(QLatin1String("Hugging Face host")));
    dialog.hostEdit()->setText(QStringLiteral("not a host"));
    QTest::mouseClick(dialog.addButton(), Qt::LeftButton);
    QVERIFY2(dialog.messageLabel()->text().contains(QLatin1String("is not an origin")),
             qPrintable(dialog.messageLabel()->text()));
    QCOMPARE(HostApproval::approvedOrigins().size(), 2);

    // Revoking everything leaves the settings key out.
    while (dialog.hostList()->count() > 0 && dialog.hostList()->item(0)->flags() & Qt::ItemIsSelectable) {
        dialog.hostList()->setCurrentRow(0);
        dialog.revokeSelected();
    }
    QVERIFY(!QSettings().contains(HostApproval::settingsKey()));
    // Only the "(none)" line is left, and it cannot be revoked.
    QCOMPARE(dialog.hostList()->count(), 1);
    QVERIFY(dialog.hostList()->item(0)->text().contains(QLatin1String("none")));
    QVERIFY(!dialog.revokeButton()->isEnabled());
}

void TestTokenSettings::noTokenInXdgFiles()
{
    QVERIFY(m_usedTokens.size() >= 5);
    QSettings().sync();
    int visited = 0;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
        const QString dir = qEnvironmentVariable(var);
        QVERIFY2(!dir.isEmpty() && QFileInfo(dir).isDir(), var);
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (!file.open(QIODevice::ReadOnly))
                continue;
            ++visited;
            const QByteArray bytes = file.readAll();
            for (const QString &token : qAsConst(m_usedTokens))
                QVERIFY2(!bytes.contains(token.toUtf8()),
                         qPrintable(QStringLiteral("a token is in ") + file.fileName()));
        }
    }
    // The settings file (approved hosts) and the keyring were among the files read.
    QVERIFY(visited >= 2);
}

void TestTokenSettings::cleanupTestCase()
{
    idesk::KeychainSecretStore store;
    QSignalSpy spy(&store, &SecretStore::done);
    store.remove(SecretStore::tokenKey());
    spy.wait(15000);
}

int main(int argc, char **argv)
{
    // Only a private bus and keyring may be written to: re-run inside tests/support/session-services.sh.
    if (const int code = idesk::test::ensureSessionServices(argc, argv, "TestTokenSettings"); code >= 0)
        return code;

    QApplication app(argc, argv);
    TestTokenSettings test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestTokenSettings.moc"
