#pragma once

#include "InferenceRequest.h"
#include "ProviderMapping.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;

namespace idesk {

class ProviderMappingLookup;

// Who serves a request of any task but chat (chat has its :provider suffix in ModelPicker): "auto" (the
// default and first item: the first live provider of the model's mapping, chosen when sent), the endpoint
// below as it always was (hf-inference; what requests saved before providers keep), or one of the
// providers the Hub lists for the model, with its live/staging state. The list comes from the Hub through
// core (ProviderMappingLookup, async, cached); under the box, where the request goes.
class ProviderBox : public QWidget
{
    Q_OBJECT
public:
    explicit ProviderBox(QWidget *parent = nullptr);

    // InferenceRequest::provider: "" (the endpoint), "auto", or a provider's name.
    QString provider() const;
    void setProvider(const QString &provider);
    // The endpoint of the request: "auto" with one the person chose goes there (ProviderChoice), said below.
    void setEndpoint(const QString &endpoint);
    // The model and task the list is for; the Hub is asked a moment after the last change.
    void setContext(const QString &model, const QString &task);
    // The providers listed for the current model (empty until the Hub answered).
    QList<ProviderMappingEntry> entries() const { return m_entries; }

    QComboBox *combo() const { return m_combo; }
    QLabel *targetLabel() const { return m_target; }

Q_SIGNALS:
    void providerChanged(const QString &provider);
    void listed(); // the Hub's list arrived (or could not be had)

private:
    void lookUpNow();
    void fill(const QString &model, const QList<ProviderMappingEntry> &entries, const QString &error);
    void updateTarget();

    QComboBox *m_combo = nullptr;
    QLabel *m_target = nullptr;
    ProviderMappingLookup *m_lookup = nullptr;
    QTimer m_debounce;
    QString m_model;
    QString m_task;
    QString m_endpoint = InferenceRequest::defaultEndpoint();
    QString m_error;
    QString m_listedModel; // the model whose list the Hub gave (entries may be empty: nobody serves it)
    QList<ProviderMappingEntry> m_entries;
};

} // namespace idesk
