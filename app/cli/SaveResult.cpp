#include "CliCall.h"

#include "SavedResult.h"

namespace idesk::cli {

bool saveResult(const InferenceRequest &request, const InferenceResult &result, const QString &path, QString *error)
{
    SavedResult saved;
    saved.request = request;
    saved.result = result;
    saved.savedAt = QDateTime::currentDateTimeUtc();
    return saved.save(path, error);
}

} // namespace idesk::cli
