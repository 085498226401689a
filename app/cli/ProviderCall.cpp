#include "ProviderCall.h"

#include "Duration.h"
#include "InferenceClient.h"
#include "ProviderHelper.h"
#include "ProviderJob.h"
#include "SendController.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSaveFile>
#include <memory>

namespace idesk::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProviderCall", text);
}
} // namespace

bool applyProviderOptions(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options,
                          QString *error)
{
    if (parser.isSet(QStringLiteral("provider"))) {
        const QString provider = parser.value(QStringLiteral("provider")).trimmed().toLower();
        if (provider != QLatin1String("auto") && !ProviderHelper::find(provider)) {
            *error = tr("--provider takes auto or one of %1, got \"%2\".")
                         .arg(ProviderHelper::providers().join(QLatin1String(", ")), provider);
            return false;
        }
        request->provider = provider;
    } else if (!parser.isSet(QStringLiteral("endpoint"))) {
        // The default, as the official clients: auto. An explicit --endpoint means "send there" (hf-inference
        // style, as the clients' endpointUrl), so the request keeps provider "" and goes to it as before.
        request->provider = QStringLiteral("auto");
    }
    if (parser.isSet(QStringLiteral("job-timeout"))) {
        QString why;
        const auto ms = Duration::parseTimeout(parser.value(QStringLiteral("job-timeout")), &why);
        if (!ms) {
            *error = QStringLiteral("--job-timeout: %1").arg(why);
            return false;
        }
        options->jobTimeoutMs = *ms;
    }
    return true;
}

bool prepareProviderJob(SendController &send, const CallOptions &options)
{
    ProviderJob &job = *send.providerJob();
    QString error;
    bool ok = configureClient(job.client(), options, &error);
    if (ok && !options.caBundle.isEmpty())
        ok = job.downloadClient().addCaCertificates(options.caBundle, &error);
    if (!ok) {
        printError(error);
        return false;
    }
    if (options.jobTimeoutMs > 0)
        send.setJobTimeLimitMs(options.jobTimeoutMs);
    QObject::connect(&send, &SendController::noted,
                     [](const QString &m) { printNote(tr("note: %1").arg(m)); });
    auto lastState = std::make_shared<QString>();
    QObject::connect(&send, &SendController::jobStateChanged, [lastState](const QString &state) {
        // One line per change of state (not per poll of an unchanged one).
        const QString bare = state.section(QStringLiteral(" ("), 0, 0);
        if (bare != *lastState)
            printNote(tr("job: %1").arg(state));
        *lastState = bare;
    });
    return true;
}

bool configureQuietSend(SendController &send, const CallOptions &options, QString *error)
{
    InferenceClient
        probe; // configureClient's notes would repeat for every request: its policy taken from a probe
    if (!configureClient(probe, options, error))
        return false;
    send.setLlmLookup(false); // the CLI sends what it was given
    send.setToken(options.token);
    send.setTokenPolicy(probe.tokenPolicy());
    if (options.jobTimeoutMs > 0)
        send.setJobTimeLimitMs(options.jobTimeoutMs);
    ProviderJob &job = *send.providerJob();
    for (InferenceClient *client : {send.client(), &job.client(), &job.downloadClient()}) {
        client->setRetryWhileLoading(options.retryWhileLoading);
        if (!options.caBundle.isEmpty() && !client->addCaCertificates(options.caBundle, error))
            return false;
    }
    return true;
}

int printRawAnswer(const ProviderJob &job, const CallOptions &options)
{
    const QByteArray raw = job.rawAnswer();
    if (!options.outputFile.isEmpty()) {
        QSaveFile file(options.outputFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(raw) != raw.size() || !file.commit()) {
            printError(tr("Cannot write %1: %2.").arg(options.outputFile, file.errorString()));
            return 2;
        }
        return 0;
    }
    const bool text = !job.rawContentType().startsWith(QLatin1String("image/")) &&
                      !job.rawContentType().startsWith(QLatin1String("audio/")) &&
                      !job.rawContentType().startsWith(QLatin1String("video/"));
    return printOut(raw.endsWith('\n') || !text ? raw : raw + '\n', text) ? 0 : 1;
}

} // namespace idesk::cli
