#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli run FLOW.yaml [--task-id ID] [--endpoint URL] [--no-validate] [--format ...]
// [--output FILE]`: runs the Hugging Face Inference tasks of a Kestra flow, in order (or only --task-id).
// `args` is "program [arguments]" (main removes the subcommand). Returns the exit code.
int runFlowCommand(const QStringList &args);

} // namespace idesk::cli
