#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli token set|status|delete`: the Hugging Face token in the OS keychain.
//   set     reads the token from stdin (without echo on a terminal), never from the command line
//   status  where the token in use comes from and its masked form (hf_…abcd); --check asks the Hub
//           who it belongs to and whether it may call Inference Providers
//   delete  removes it from the keychain
// `args` is "program token-subcommand [options]". Returns the exit code: 0 success, 1 no token
// (status) or the Hub refused it (--check), 2 bad usage or input, 3 keychain or network unavailable.
int runTokenCommand(const QStringList &args);

} // namespace idesk::cli
