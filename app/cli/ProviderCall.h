#pragma once

#include "CliCall.h"

namespace idesk {
class ProviderJob;
class SendController;
} // namespace idesk

namespace idesk::cli {

// --provider and --job-timeout of `call` onto *request / *options. False with *error on a bad value.
bool applyProviderOptions(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options,
                          QString *error);

// Before a provider request (request.usesProvider()) goes through `send`: the job's clients configured as
// configureClient() does, --job-timeout, its notes and queue states on stderr. False (and the error
// printed) when the clients could not be set up.
bool prepareProviderJob(SendController &send, const CallOptions &options);

// A SendController for one of many requests (batch, compare): the token and token policy as configureClient()
// sets them (approved origins, --endpoint, --allow-host), no Hub lookup, --no-retry, --job-timeout and the CA
// bundle on each of its clients; nothing printed (the caller says each note once). False with *error.
bool configureQuietSend(SendController &send, const CallOptions &options, QString *error);

// --format raw of a provider request: what the provider sent, as it was. Returns the exit code.
int printRawAnswer(const ProviderJob &job, const CallOptions &options);

} // namespace idesk::cli
