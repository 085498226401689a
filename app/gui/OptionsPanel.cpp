#include "OptionsPanel.h"

#include "ChatCompletion.h"
#include "Duration.h"
#include "InferenceRequest.h"
#include "RequestEncoder.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

namespace idesk {

namespace {

QString durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms % 1000 != 0)
        return QStringLiteral("%1ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s != 0 && s % 3600 == 0)
        return QStringLiteral("%1h").arg(s / 3600);
    if (s != 0 && s % 60 == 0)
        return QStringLiteral("%1m").arg(s / 60);
    return QStringLiteral("%1s").arg(s);
}

} // namespace

OptionsPanel::OptionsPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("optionsPanel"));
    m_useCache = new QCheckBox(tr("Use &cache"), this);
    m_useCache->setObjectName(QStringLiteral("useCache"));
    m_useCache->setChecked(true);
    m_useCache->setToolTip(tr("Let the server answer from its cache (x-use-cache). Turn off to get a fresh "
                              "answer for non-deterministic models."));
    m_waitForModel = new QCheckBox(tr("&Wait for model"), this);
    m_waitForModel->setObjectName(QStringLiteral("waitForModel"));
    m_waitForModel->setToolTip(tr("Ask the server to hold the request until a cold model is loaded "
                                  "(x-wait-for-model) instead of answering 503."));
    m_stream = new QCheckBox(tr("St&ream the answer"), this);
    m_stream->setObjectName(QStringLiteral("stream"));
    m_stream->setToolTip(tr("Show generated text as it arrives (text generation and chat)."));

    m_route = new QComboBox(this);
    m_route->setObjectName(QStringLiteral("route"));
    // The URL shape each route posts to, and who speaks it.
    m_route->addItem(tr("{model} — text-generation-inference form"), int(TextGenerationRoute::Model));
    m_route->setItemData(0,
                         tr("Posts {\"inputs\", \"parameters\"} to {endpoint}/{model}; answered by "
                            "[{\"generated_text\"}]. Text-generation-inference servers and dedicated "
                            "Inference Endpoints accept it."),
                         Qt::ToolTipRole);
    m_route->addItem(tr("{model}/v1/completions — OpenAI completions"),
                     int(TextGenerationRoute::Completions));
    m_route->setItemData(1,
                         tr("Posts {\"model\", \"prompt\", \"max_tokens\", …} to "
                            "{endpoint}/{model}/v1/completions; answered by choices[0].text. The route the "
                            "router serves language models on."),
                         Qt::ToolTipRole);
    m_route->setAccessibleName(tr("Text generation route"));
    // Its long item texts must not widen the window: the combo takes the row's width and elides.
    m_route->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_route->setMinimumContentsLength(16);
    m_route->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_routeLabel = new QLabel(tr("&Route:"), this);
    m_routeLabel->setObjectName(QStringLiteral("routeLabel"));
    m_routeLabel->setBuddy(m_route);
    m_routeTarget = new QLabel(this);
    m_routeTarget->setObjectName(QStringLiteral("routeTarget"));
    m_routeTarget->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_routeTarget->setWordWrap(true);
    m_routeTarget->setSizePolicy(QSizePolicy::Ignored,
                                 QSizePolicy::Preferred); // a long URL wraps, never widens
    m_routeTarget->setAccessibleName(tr("Where the request goes"));
    QFont small = m_routeTarget->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_routeTarget->setFont(small);
    m_routeTarget->setForegroundRole(QPalette::PlaceholderText);

    m_connectionToggle = new QToolButton(this);
    m_connectionToggle->setObjectName(QStringLiteral("connectionToggle"));
    m_connectionToggle->setText(tr("Co&nnection"));
    m_connectionToggle->setCheckable(true);
    m_connectionToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_connectionToggle->setArrowType(Qt::RightArrow);
    m_connectionToggle->setAutoRaise(true);
    m_connectionToggle->setAccessibleName(tr("Show connection options"));

    m_connection = new QWidget(this);
    m_connection->setObjectName(QStringLiteral("connectionOptions"));
    auto *form = new QFormLayout(m_connection);
    form->setContentsMargins(16, 0, 0, 0);
    m_connectTimeout = addDuration(form, tr("Connect timeout"), QStringLiteral("connectTimeout"),
                                   tr("Longest wait for the connection. Empty: the system's."), true);
    m_readTimeout = addDuration(form, tr("Read timeout"), QStringLiteral("readTimeout"),
                                tr("Longest wait for the server to start answering (Kestra's readTimeout, "
                                   "default 10s)."),
                                false);
    m_readIdleTimeout = addDuration(form, tr("Read idle timeout"), QStringLiteral("readIdleTimeout"),
                                    tr("Longest silence while the answer arrives (default 5m)."), false);
    m_poolIdleTimeout =
        addDuration(form, tr("Pool idle timeout"), QStringLiteral("connectionPoolIdleTimeout"),
                    tr("How long an idle connection is kept for reuse (default 0s)."), false);
    m_maxContentLength = new QLineEdit(m_connection);
    m_maxContentLength->setObjectName(QStringLiteral("maxContentLength"));
    m_maxContentLength->setAccessibleName(tr("Max content length"));
    m_maxContentLength->setToolTip(tr("Largest answer accepted, in bytes; also the largest input file. "
                                      "Accepts 10485760, 10 MB, 512 KiB…"));
    form->addRow(tr("Max content &length"), m_maxContentLength);
    m_charset = new QComboBox(m_connection);
    m_charset->setObjectName(QStringLiteral("defaultCharset"));
    m_charset->setEditable(true);
    m_charset->addItems({QStringLiteral("UTF-8"), QStringLiteral("ISO-8859-1"),
                         QStringLiteral("windows-1252"), QStringLiteral("UTF-16")});
    m_charset->setAccessibleName(tr("Default charset"));
    m_charset->setToolTip(tr("Used to read a text answer whose Content-Type names no charset."));
    form->addRow(tr("Default c&harset"), m_charset);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("optionProblems"));
    m_problems->setWordWrap(true);
    m_problems->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_problems->hide();

    auto *toggles = new QHBoxLayout;
    toggles->addWidget(m_useCache);
    toggles->addWidget(m_waitForModel);
    toggles->addWidget(m_stream);
    toggles->addStretch(1);
    // Text generation's route on a row of its own, so the toggles keep their width in a narrow window.
    auto *routeRow = new QHBoxLayout;
    routeRow->addWidget(m_routeLabel);
    routeRow->addWidget(m_route, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toggles);
    layout->addLayout(routeRow);
    layout->addWidget(m_routeTarget);
    layout->addWidget(m_connectionToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_connection);
    layout->addWidget(m_problems);

    // A route the person picks stands for this request, whatever the endpoint.
    connect(m_route, &QComboBox::activated, this, [this] {
        m_routePicked = true;
        updateRouteTarget();
        Q_EMIT changed();
    });
    connect(m_connectionToggle, &QToolButton::toggled, this, &OptionsPanel::setConnectionExpanded);
    for (QCheckBox *box : {m_useCache, m_waitForModel, m_stream})
        connect(box, &QCheckBox::toggled, this, &OptionsPanel::changed);
    for (QLineEdit *edit :
         {m_connectTimeout, m_readTimeout, m_readIdleTimeout, m_poolIdleTimeout, m_maxContentLength})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            validate();
            Q_EMIT changed();
        });
    connect(m_charset, &QComboBox::currentTextChanged, this, [this] {
        validate();
        Q_EMIT changed();
    });

    setHttpOptions(HttpOptions{});
    setConnectionExpanded(false);
    setStreamAvailable(false);
    setRouteContext(InferenceRequest::defaultEndpoint(), QString(), QString());
}

QLineEdit *OptionsPanel::addDuration(QFormLayout *form, const QString &label, const QString &name,
                                     const QString &tip, bool allowUnset)
{
    auto *edit = new QLineEdit(m_connection);
    edit->setObjectName(name);
    edit->setAccessibleName(label);
    const QString fullTip = tip + QLatin1Char('\n') + tr("Write 10s, 5m, 1h, 250ms or ISO-8601 like PT10S.");
    edit->setToolTip(fullTip);
    if (allowUnset)
        edit->setPlaceholderText(tr("system default"));
    form->addRow(label, edit);
    m_durations.append({edit, label, fullTip, allowUnset});
    return edit;
}

bool OptionsPanel::useCache() const
{
    return m_useCache->isChecked();
}
bool OptionsPanel::waitForModel() const
{
    return m_waitForModel->isChecked();
}
bool OptionsPanel::stream() const
{
    return m_stream->isEnabled() && m_stream->isChecked();
}
void OptionsPanel::setUseCache(bool on)
{
    m_useCache->setChecked(on);
}
void OptionsPanel::setWaitForModel(bool on)
{
    m_waitForModel->setChecked(on);
}
void OptionsPanel::setStream(bool on)
{
    m_stream->setChecked(on);
}
void OptionsPanel::setStreamAvailable(bool available)
{
    m_stream->setEnabled(available);
    m_stream->setVisible(available);
}

void OptionsPanel::setRouteContext(const QString &endpoint, const QString &model, const QString &taskId)
{
    m_endpoint = endpoint;
    m_model = model;
    m_task = taskId;
    const bool available = hasTextGenerationRoutes(taskId);
    m_routeLabel->setVisible(available);
    m_route->setVisible(available);
    if (!m_routePicked)
        showRoute(defaultTextGenerationRoute(endpoint));
    updateRouteTarget();
}

TextGenerationRoute OptionsPanel::route() const
{
    // Other tasks have one route: their requests keep the default value.
    return isRouteAvailable() ? shownRoute() : TextGenerationRoute::Model;
}

TextGenerationRoute OptionsPanel::shownRoute() const
{
    return TextGenerationRoute(m_route->currentData().toInt());
}

void OptionsPanel::setRoute(TextGenerationRoute route)
{
    const TextGenerationRoute followed = defaultTextGenerationRoute(m_endpoint);
    m_routePicked = isRouteAvailable() && route != followed;
    showRoute(isRouteAvailable() ? route : followed);
    updateRouteTarget();
}

bool OptionsPanel::isRouteAvailable() const
{
    return hasTextGenerationRoutes(m_task);
}

QString OptionsPanel::routeTarget() const
{
    return isRouteAvailable() ? m_routeTarget->text() : QString();
}

void OptionsPanel::showRoute(TextGenerationRoute route)
{
    const QSignalBlocker block(m_route);
    m_route->setCurrentIndex(m_route->findData(int(route)));
}

void OptionsPanel::updateRouteTarget()
{
    if (!isRouteAvailable() && m_task != ChatCompletion::taskId()) {
        // One URL shape only: nothing to show (nor to lay out in the small font at start-up).
        m_routeTarget->hide();
        return;
    }
    InferenceRequest request;
    request.endpoint = m_endpoint;
    request.model = m_model;
    request.task = m_task;
    request.route = shownRoute();
    QString target = RequestEncoder::targetUrl(request).toString();
    if (m_task == ChatCompletion::taskId()) {
        // Chat goes to the router's chat route, not to the endpoint as typed: say where.
        m_routeTarget->setText(target.isEmpty() ? QString() : tr("POST %1").arg(target));
        m_routeTarget->setVisible(!target.isEmpty());
        return;
    }
    m_routeTarget->setVisible(isRouteAvailable());
    if (target.isEmpty()) { // no model yet, or an endpoint that makes no URL: the shape
        QString endpoint = m_endpoint.trimmed();
        while (endpoint.endsWith(QLatin1Char('/')))
            endpoint.chop(1);
        target = textGenerationRouteShape(request.route)
                     .replace(QLatin1String("{endpoint}"),
                              endpoint.isEmpty() ? InferenceRequest::defaultEndpoint() : endpoint);
    }
    m_routeTarget->setText(tr("POST %1").arg(target));
    const QString why = m_routePicked ? tr("Your choice; it stays when the endpoint changes.")
                                      : tr("Chosen for this endpoint: the OpenAI completions route on "
                                           "router.huggingface.co, the per-model form elsewhere.");
    m_route->setToolTip(tr("How text generation is sent.\nThis request goes to %1\n%2\n%3")
                            .arg(target, m_route->currentData(Qt::ToolTipRole).toString(), why));
}

void OptionsPanel::setConnectionExpanded(bool expanded)
{
    m_connection->setVisible(expanded);
    m_connectionToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_connectionToggle->setAccessibleName(expanded ? tr("Hide connection options")
                                                   : tr("Show connection options"));
    if (m_connectionToggle->isChecked() != expanded)
        m_connectionToggle->setChecked(expanded);
}

bool OptionsPanel::isConnectionExpanded() const
{
    return m_connectionToggle->isChecked();
}

std::optional<qint64> OptionsPanel::parseSize(const QString &text, QString *error) const
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+(?:[.,]\\d+)?)\\s*([kmg]?i?b?)\\s*$"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto match = re.match(text);
    if (!match.hasMatch()) {
        *error = tr("Max content length “%1” is not a size. Write a number of bytes, or 10 MB, 512 KiB.")
                     .arg(text);
        return std::nullopt;
    }
    double number = match.captured(1).replace(QLatin1Char(','), QLatin1Char('.')).toDouble();
    const QString unit = match.captured(2).toLower();
    const bool binary = unit.contains(QLatin1Char('i'));
    const double k = binary ? 1024.0 : 1000.0;
    if (unit.startsWith(QLatin1Char('k')))
        number *= k;
    else if (unit.startsWith(QLatin1Char('m')))
        number *= k * k;
    else if (unit.startsWith(QLatin1Char('g')))
        number *= k * k * k;
    if (number < 1) {
        *error = tr("Max content length must be at least 1 byte.");
        return std::nullopt;
    }
    return qint64(number);
}

HttpOptions OptionsPanel::httpOptions() const
{
    HttpOptions o;
    const auto readDuration = [](QLineEdit *edit, qint64 fallback, bool allowUnset) -> qint64 {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            return allowUnset ? -1 : fallback;
        const auto ms = Duration::parse(text);
        return ms ? *ms : fallback;
    };
    o.connectTimeoutMs = readDuration(m_connectTimeout, o.connectTimeoutMs, true);
    o.readTimeoutMs = readDuration(m_readTimeout, o.readTimeoutMs, false);
    o.readIdleTimeoutMs = readDuration(m_readIdleTimeout, o.readIdleTimeoutMs, false);
    o.connectionPoolIdleTimeoutMs = readDuration(m_poolIdleTimeout, o.connectionPoolIdleTimeoutMs, false);
    QString error;
    if (const auto size = parseSize(m_maxContentLength->text(), &error))
        o.maxContentLength = *size;
    const QString charset = m_charset->currentText().trimmed();
    if (!charset.isEmpty())
        o.defaultCharset = charset;
    return o;
}

void OptionsPanel::setHttpOptions(const HttpOptions &options)
{
    const QSignalBlocker block(this);
    m_connectTimeout->setText(durationText(options.connectTimeoutMs));
    m_readTimeout->setText(durationText(options.readTimeoutMs));
    m_readIdleTimeout->setText(durationText(options.readIdleTimeoutMs));
    m_poolIdleTimeout->setText(durationText(options.connectionPoolIdleTimeoutMs));
    m_maxContentLength->setText(QString::number(options.maxContentLength));
    m_charset->setCurrentText(options.defaultCharset);
    validate();
}

QStringList OptionsPanel::problems() const
{
    return m_problemList;
}

void OptionsPanel::validate()
{
    m_problemList.clear();
    for (const DurationField &field : std::as_const(m_durations)) {
        const QString text = field.edit->text().trimmed();
        QString error;
        bool bad = false;
        if (text.isEmpty()) {
            if (!field.allowUnset) {
                m_problemList << tr("%1 is empty. Write a duration such as 10s or PT10S.").arg(field.label);
                bad = true;
            }
        } else if (!Duration::parse(text, &error)) {
            m_problemList << tr("%1: %2").arg(field.label, error);
            bad = true;
        }
        field.edit->setToolTip(bad ? m_problemList.last() : field.tip);
        QPalette p = QApplication::palette(field.edit);
        if (bad)
            p.setColor(QPalette::Base,
                       QColor::fromRgbF(float(p.color(QPalette::Base).redF() * 0.65 + 0.86 * 0.35),
                                        float(p.color(QPalette::Base).greenF() * 0.65 + 0.16 * 0.35),
                                        float(p.color(QPalette::Base).blueF() * 0.65 + 0.16 * 0.35)));
        field.edit->setPalette(p);
    }
    QString error;
    if (!parseSize(m_maxContentLength->text(), &error))
        m_problemList << error;
    m_problems->setText(m_problemList.isEmpty()
                            ? QString()
                            : QStringLiteral("⚠ ") + m_problemList.join(QStringLiteral("\n⚠ ")));
    m_problems->setVisible(!m_problemList.isEmpty());
    if (!m_problemList.isEmpty() && !isConnectionExpanded())
        setConnectionExpanded(true);
}

} // namespace idesk
