#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli call --model ID ...`: one request from the command line. Returns the exit code.
int runCallCommand(const QStringList &args);

} // namespace idesk::cli
