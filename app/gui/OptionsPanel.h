#pragma once

#include "HttpOptions.h"
#include "TextGenerationRoute.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace idesk {

class ElidedLabel;

// Use cache, Wait for model, Stream, text generation's Route, and a collapsible Connection section with
// Kestra's HTTP options (timeouts as durations like 10s or PT10S, max content length, default charset).
//
// The Route combo (text-generation only, see TextGenerationRoute.h) follows the endpoint
// (defaultTextGenerationRoute: completions on router.huggingface.co, the per-model form elsewhere) until
// the person picks a route; their pick then stands whatever the endpoint. The URL the request goes to is
// shown under the toggles and as the combo's tooltip.
class OptionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OptionsPanel(QWidget *parent = nullptr);

    bool useCache() const;
    bool waitForModel() const;
    bool stream() const;
    void setUseCache(bool on);
    void setWaitForModel(bool on);
    void setStream(bool on);
    // Offered for tasks that can stream (text generation, chat).
    void setStreamAvailable(bool available);

    // Where the request goes: shows the Route combo for text-generation only, moves it to the endpoint's
    // default unless a route was picked, and updates the URL shown.
    void setRouteContext(const QString &endpoint, const QString &model, const QString &taskId);
    // The request's route: the combo's for text-generation, Model for the other tasks.
    TextGenerationRoute route() const;
    // A request's route (a preset, the last request): it stands, like a pick, unless it is the endpoint's
    // default anyway (then the combo keeps following the endpoint).
    void setRoute(TextGenerationRoute route);
    // True once a route was picked (or loaded) that differs from following the endpoint.
    bool isRoutePicked() const { return m_routePicked; }
    bool isRouteAvailable() const;
    // The URL the request goes to, as shown ("" when the task has one route only).
    QString routeTarget() const;
    QComboBox *routeCombo() const { return m_route; }

    // The options as typed; fields that do not parse keep their previous value and are reported
    // by problems().
    HttpOptions httpOptions() const;
    void setHttpOptions(const HttpOptions &options);
    QStringList problems() const;

    void setConnectionExpanded(bool expanded);
    bool isConnectionExpanded() const;

Q_SIGNALS:
    void changed();

private:
    struct DurationField
    {
        QLineEdit *edit = nullptr;
        QString label;
        QString tip;
        bool allowUnset = false;
    };
    // A duration field of the form: its tooltip, accessible name, and a place in validate().
    void ensureConnection();
    void showOptions(const HttpOptions &options);
    bool optionsLookRight(const HttpOptions &options) const;
    void addDuration(QFormLayout *form, QLineEdit *edit, const QString &tip, bool allowUnset);
    void validate();
    std::optional<qint64> parseSize(const QString &text, QString *error) const;
    void showRoute(TextGenerationRoute route);
    TextGenerationRoute shownRoute() const;
    void updateRouteTarget();

    QCheckBox *m_useCache = nullptr;
    QCheckBox *m_waitForModel = nullptr;
    QCheckBox *m_stream = nullptr;
    QLabel *m_routeLabel = nullptr;
    QComboBox *m_route = nullptr;
    ElidedLabel *m_routeTarget = nullptr;
    bool m_routePicked = false;
    bool m_settingOptions = false; // setHttpOptions() is filling the fields
    QString m_endpoint;
    QString m_model;
    QString m_task;
    QToolButton *m_connectionToggle = nullptr;
    QWidget *m_connection = nullptr; // the Connection section, once built
    HttpOptions m_options;           // the options as last set
    QList<DurationField> m_durations;
    QLineEdit *m_connectTimeout = nullptr;
    QLineEdit *m_readTimeout = nullptr;
    QLineEdit *m_readIdleTimeout = nullptr;
    QLineEdit *m_poolIdleTimeout = nullptr;
    QLineEdit *m_maxContentLength = nullptr;
    QComboBox *m_charset = nullptr;
    QLabel *m_problems = nullptr;
    QStringList m_problemList;
};

} // namespace idesk
