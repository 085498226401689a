#pragma once

#include "HttpOptions.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace idesk {

// Use cache, Wait for model, Stream, and a collapsible Connection section with Kestra's HTTP options
// (timeouts as durations like 10s or PT10S, max content length, default charset).
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
    QLineEdit *addDuration(QFormLayout *form, const QString &label, const QString &name, const QString &tip,
                           bool allowUnset);
    void validate();
    std::optional<qint64> parseSize(const QString &text, QString *error) const;

    QCheckBox *m_useCache = nullptr;
    QCheckBox *m_waitForModel = nullptr;
    QCheckBox *m_stream = nullptr;
    QToolButton *m_connectionToggle = nullptr;
    QWidget *m_connection = nullptr;
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
