#include "CliCall.h"

#include "HistoryStore.h"

#include <QCoreApplication>

namespace idesk::cli {

void recordHistory(const InferenceRequest &request, const InferenceResult &result, const CallOptions &options)
{
    if (!options.recordHistory || result.outcome == InferenceResult::Outcome::InvalidRequest)
        return;
    // The CLI has no window to keep responsive: the write happens here, once the answer is in.
    HistoryStore store;
    QString error;
    if (!store.open(&error)) {
        printNote(QCoreApplication::translate("HistoryRecording", "note: %1").arg(error));
        return;
    }
    if (!store.notice().isEmpty())
        printNote(QCoreApplication::translate("HistoryRecording", "note: %1").arg(store.notice()));
    if (!store.add(request, result, options.historySource, &error))
        printNote(QCoreApplication::translate("HistoryRecording", "note: %1 Pass --no-history to skip it.")
                      .arg(error));
}

} // namespace idesk::cli
