#pragma once

#include <QStringList>

namespace idesk::cli {

// `inference-desk-cli chat --model ID [--endpoint URL] (--messages-json JSON | --prompt TEXT)
//  [--system TEXT] [--image FILE|URL]... [--parameters JSON] [--stream] [--format pretty|json|summary]`: one chat completion
// through the router (ChatCompletion; the router base is --router, INFERENCE_DESK_ROUTER or the
// default). --image attaches images to the last user message as content parts (ChatImages). --endpoint is the base before /v1/chat/completions. With --stream
// the reply's tokens are printed as they come; --format json prints the assembled answer as the
// non-streamed one would look. Returns the exit code: 0 success, 1 the API answered an error (also an
// error event in the stream), 2 bad usage or input, 3 network failure or timeout.
int runChatCommand(const QStringList &args);

} // namespace idesk::cli
