#include "OptionsPanel.h"

#include "ChatCompletion.h"
#include "Duration.h"
#include "ElidedLabel.h"
#include "InferenceRequest.h"
#include "RequestEncoder.h"
#include "TabOrder.h"
#include "ui_ConnectionOptions.h"
#include "ui_OptionsPanel.h"

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
    Ui::OptionsPanel ui;
    ui.setupUi(this); // the layout: ui/OptionsPanel.ui
    m_useCache = ui.useCache;
    m_waitForModel = ui.waitForModel;
    m_stream = ui.stream;
    m_routeLabel = ui.routeLabel;
    m_route = ui.route;
    m_routeTarget = ui.routeTarget;
    m_connectionToggle = ui.connectionToggle;
    m_problems = ui.optionProblems;

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
    QFont small = m_routeTarget->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_routeTarget->setFont(small);
    m_routeTarget->setForegroundRole(QPalette::PlaceholderText);

    m_problems->hide();

    // A route the person picks stands for this request, whatever the endpoint.
    connect(m_route, &QComboBox::activated, this, [this] {
        m_routePicked = true;
        updateRouteTarget();
        Q_EMIT changed();
    });
    connect(m_connectionToggle, &QToolButton::toggled, this, &OptionsPanel::setConnectionExpanded);
    for (QCheckBox *box : {m_useCache, m_waitForModel, m_stream})
        connect(box, &QCheckBox::toggled, this, &OptionsPanel::changed);

    setHttpOptions(HttpOptions{});
    setConnectionExpanded(false);
    setStreamAvailable(false);
    setRouteContext(InferenceRequest::defaultEndpoint(), QString(), QString());
}

// The Connection section (ui/ConnectionOptions.ui) is built when first opened, or when a value it holds is
// wrong and must be shown; until then m_options holds the values.
void OptionsPanel::ensureConnection()
{
    if (m_connection)
        return;
    Ui::ConnectionOptions ui;
    m_connection = new QWidget(this);
    ui.setupUi(m_connection);
    m_connection->hide();
    auto *panel = static_cast<QVBoxLayout *>(layout());
    panel->insertWidget(panel->indexOf(m_problems), m_connection);
    m_connectTimeout = ui.connectTimeout;
    m_readTimeout = ui.readTimeout;
    m_readIdleTimeout = ui.readIdleTimeout;
    m_poolIdleTimeout = ui.connectionPoolIdleTimeout;
    m_maxContentLength = ui.maxContentLength;
    m_charset = ui.defaultCharset;
    TabOrder::placeAfter(m_connectionToggle, m_connection); // not last, where Qt puts what is built late
    addDuration(ui.connectionForm, m_connectTimeout,
                tr("Longest wait for the connection. Empty: the system's."), true);
    addDuration(ui.connectionForm, m_readTimeout,
                tr("Longest wait for the server to start answering (Kestra's readTimeout, default 10s)."),
                false);
    addDuration(ui.connectionForm, m_readIdleTimeout,
                tr("Longest silence while the answer arrives (default 5m)."), false);
    addDuration(ui.connectionForm, m_poolIdleTimeout,
                tr("How long an idle connection is kept for reuse (default 0s)."), false);
    m_maxContentLength->setAccessibleName(tr("Max content length"));
    m_maxContentLength->setToolTip(tr("Largest answer accepted, in bytes; also the largest input file. "
                                      "Accepts 10485760, 10 MB, 512 KiB…"));
    showOptions(m_options);
    for (QLineEdit *edit :
         {m_connectTimeout, m_readTimeout, m_readIdleTimeout, m_poolIdleTimeout, m_maxContentLength})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            if (m_settingOptions)
                return; // setHttpOptions() checks them all once at the end
            validate();
            Q_EMIT changed();
        });
    connect(m_charset, &QComboBox::currentTextChanged, this, [this] {
        if (m_settingOptions)
            return;
        validate();
        Q_EMIT changed();
    });
}

void OptionsPanel::showOptions(const HttpOptions &options)
{
    m_settingOptions = true;
    m_connectTimeout->setText(durationText(options.connectTimeoutMs));
    m_readTimeout->setText(durationText(options.readTimeoutMs));
    m_readIdleTimeout->setText(durationText(options.readIdleTimeoutMs));
    m_poolIdleTimeout->setText(durationText(options.connectionPoolIdleTimeoutMs));
    m_maxContentLength->setText(QString::number(options.maxContentLength));
    m_charset->setCurrentText(options.defaultCharset);
    m_settingOptions = false;
}

void OptionsPanel::addDuration(QFormLayout *form, QLineEdit *edit, const QString &tip, bool allowUnset)
{
    // Its label (from the form) names it in tooltips, problems and to screen readers.
    const auto *labelWidget = qobject_cast<QLabel *>(form->labelForField(edit));
    const QString label = labelWidget ? labelWidget->text().remove(QLatin1Char('&')) : edit->objectName();
    edit->setAccessibleName(label);
    const QString fullTip = tip + QLatin1Char('\n') + tr("Write 10s, 5m, 1h, 250ms or ISO-8601 like PT10S.");
    edit->setToolTip(fullTip);
    if (allowUnset)
        edit->setPlaceholderText(tr("system default"));
    m_durations.append({edit, label, fullTip, allowUnset});
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
    if (!isRouteAvailable() && !ChatCompletion::isChatTask(m_task)) {
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
    if (ChatCompletion::isChatTask(m_task)) {
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
    if (expanded)
        ensureConnection();
    if (m_connection)
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

// Whether validate() would find nothing wrong in fields holding `options`: the same checks on the same
// texts, without building the fields.
bool OptionsPanel::optionsLookRight(const HttpOptions &options) const
{
    const struct
    {
        qint64 ms;
        bool allowUnset;
    } durations[] = {{options.connectTimeoutMs, true},
                     {options.readTimeoutMs, false},
                     {options.readIdleTimeoutMs, false},
                     {options.connectionPoolIdleTimeoutMs, false}};
    for (const auto &d : durations) {
        const QString text = durationText(d.ms);
        if (text.isEmpty() ? !d.allowUnset : !Duration::parse(text))
            return false;
    }
    QString error;
    return parseSize(QString::number(options.maxContentLength), &error).has_value();
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
    if (!m_connection) {
        // As set (the section was never opened), read as its fields would read it.
        HttpOptions o = m_options;
        if (o.connectTimeoutMs < 0)
            o.connectTimeoutMs = -1; // shown empty: the system's
        o.defaultCharset = o.defaultCharset.trimmed();
        if (o.defaultCharset.isEmpty())
            o.defaultCharset = HttpOptions{}.defaultCharset;
        return o;
    }
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
    m_options = options;
    // Checked once, when every field holds its new value: checked field by field, a half-set form showed
    // problems and opened the Connection section for nothing.
    if (m_connection)
        showOptions(options);
    validate();
}

QStringList OptionsPanel::problems() const
{
    return m_problemList;
}

void OptionsPanel::validate()
{
    if (!m_connection) {
        if (optionsLookRight(m_options)) {
            m_problemList.clear();
            m_problems->clear();
            m_problems->hide();
            return;
        }
        ensureConnection(); // a wrong value: the section opens with it, said as the fields say it
    }
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
