#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli compare --model A --model B [--model C ...] (--inputs TEXT | --inputs-json JSON |
//    --inputs-file PATH) [--task TASK] [--provider P] [--parameters JSON] [--param NAME=VALUE]...
//    [--format pretty|json]`
// The same input to two to four models at once; the answers printed in the order the models were given,
// whichever comes first (`--format json`: an array of {"model", "provider", "status", "http_status", "ms",
// "answer" | "error"}). Exit 0 when every model answered, 1 when some failed, 2 on bad usage.
int runCompareCommand(const QStringList &args);

} // namespace idesk::cli
