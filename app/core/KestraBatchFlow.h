#pragma once

#include "BatchInput.h"
#include "InferenceRequest.h"
#include "KestraFlow.h"

#include <QList>
#include <QString>

namespace idesk {

// A batch as a Kestra flow, so the same requests over the same inputs run on Kestra's executors: a ForEach
// (io.kestra.plugin.core.flow.ForEach) over the inputs, concurrencyLimit the batch's concurrency, around the
// Inference task KestraFlow::toFlowYaml writes for the template, its inputs "{{ taskrun.value }}". Text
// inputs go as written, JSON inputs as their JSON text, files base64-encoded (as Kestra sends them).
// KestraFlow::parse reads it back as one task per input (ids numbered).
namespace KestraBatchFlow {

// "" with *error (a sentence) when the batch cannot be written: chat and completions requests (a core HTTP
// Request with the input inside its JSON body), or an input file that cannot be read.
QString toYaml(const InferenceRequest &templ, const QList<BatchInput> &inputs, int concurrency,
               const KestraExportOptions &options, QString *error);

} // namespace KestraBatchFlow
} // namespace idesk
