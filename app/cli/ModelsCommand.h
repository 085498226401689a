#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli models search|info`: find models on the Hub and see who serves them (HubSearch,
// ModelDetails). Returns the exit code: 0 success, 1 the Hub answered an error, 2 bad usage,
// 3 the Hub could not be reached (and nothing was cached).
int runModelsCommand(const QStringList &args);

} // namespace idesk::cli
