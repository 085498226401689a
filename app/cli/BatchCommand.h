#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli batch --model ID [--task TASK] [--provider P]
//    (--inputs-dir DIR | --inputs-lines FILE | --inputs-csv FILE --column NAME | --inputs-jsonl FILE)
//    [--parameters JSON] [--param NAME=VALUE]... [--concurrency N] [--output FILE] [--format jsonl|csv]
//    [--resume] [--retry-failed] [--export-kestra FLOW.yaml]`
// One request per input through BatchRunner; one result per input (JSONL or CSV) on standard output as they
// come, or in input order in FILE; progress on stderr. Exit 0 when every input succeeded, 1 when some
// failed, 2 on bad usage.
int runBatchCommand(const QStringList &args);

} // namespace idesk::cli
