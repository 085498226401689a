#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli presets list | show NAME | run NAME [...] | import FILE [--name N] [--replace] |
// export NAME --format kestra|json|curl|python [--output FILE]`. `args` is "program [arguments]".
int runPresetsCommand(const QStringList &args);

} // namespace idesk::cli
