#pragma once

#include "CliCall.h"
#include "InferenceRequest.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace idesk::cli {

// The request options `batch` and `compare` share (the model aside, which compare repeats): --task,
// --provider, --parameters, --param, on top of the shared send options (addSendOptions).
void addTemplateOptions(QCommandLineParser &parser);
// Reads them into *request; false with *error (a sentence) on an unknown task or bad parameters.
bool readTemplate(const QCommandLineParser &parser, InferenceRequest *request, QString *error);
// The parameters checked against the task catalog as `call` checks them (unless --no-validate): every
// problem, or none.
QStringList templateProblems(const InferenceRequest &request, const CallOptions &options);
// --provider P: the provider the request goes to. Empty when none was asked.
QString providerOption(const QCommandLineParser &parser);
// The provider name a result is shown with: the one asked, else "hf-inference" on the default router, else
// the endpoint's host.
QString providerLabel(const InferenceRequest &request, const QString &asked);

// Adds the template and shared send options to `parser` (after the command's own) and parses `args`: false
// after saying what is wrong (bad option, a stray argument: `strayHint` tells where inputs go). --help exits.
bool parseCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &command,
                      const QString &strayHint);
// readTemplate, applySendOptions and templateProblems in one: false after saying each problem (exit 2).
bool buildTemplate(const QCommandLineParser &parser, InferenceRequest *request, CallOptions *options);

// Takes `--NAME VALUE` / `--NAME=VALUE` out of *args (the last one wins) for commands whose option of that
// name differs from the shared one (batch's --format jsonl|csv). nullopt-like: *given says whether it was
// there; false with *error when the value is missing.
bool takeOption(QStringList *args, const QString &name, QString *value, bool *given, QString *error);

} // namespace idesk::cli
