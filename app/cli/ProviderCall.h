#pragma once

#include "CliCall.h"

namespace idesk {
class ProviderJob;
}

namespace idesk::cli {

// --provider and --job-timeout of `call` onto *request / *options. False with *error on a bad value.
bool applyProviderOptions(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options,
                          QString *error);

// Runs a request through an Inference Provider (request.usesProvider()): the job's clients configured as
// configureClient() does, its notes and queue states on stderr. Returns the job's result; *ok false (and
// the error printed) when the clients could not be set up.
InferenceResult runProviderJob(ProviderJob &job, const InferenceRequest &request, const CallOptions &options,
                               bool *ok);

// --format raw of a provider request: what the provider sent, as it was. Returns the exit code.
int printRawAnswer(const ProviderJob &job, const CallOptions &options);

} // namespace idesk::cli
