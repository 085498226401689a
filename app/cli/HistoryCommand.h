#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli history list [--limit N] [--task T] [--status ok|error] [--format pretty|json] |
// search TEXT [...] | show ID | rerun ID [send options] | delete ID | export ID FILE | pin ID | unpin ID |
// clear [--keep-pinned]`: the exchanges kept by the app and the CLI (HistoryStore). `args` is
// "program [arguments]".
int runHistoryCommand(const QStringList &args);

} // namespace idesk::cli
