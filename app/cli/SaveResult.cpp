#include "CliCall.h"

#include <QCoreApplication>

namespace idesk::cli {

bool saveResult(const InferenceRequest &, const InferenceResult &, const QString &path, QString *error)
{
    *error = QCoreApplication::translate("CliCall", "Cannot save %1: saved results are not available yet.")
                 .arg(path);
    return false;
}

} // namespace idesk::cli
