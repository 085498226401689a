#pragma once

#include "Preset.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace idesk {

// The one Kestra exporter of a preset, used by the app (Presets > Export as a .yaml file) and the CLI
// (`presets export --format kestra`): the same rules for both.
//  - a preset holding something that looks like a Hugging Face token is not exported;
//  - a file kept by path is read now (Preset::resolvedRequest);
//  - the retired api-inference host is written as the router (a note says so);
//  - flow and task id from the preset's name (flowIdFor);
//  - inputs read from a file (a Kestra read()) stay a read(), relative to where the flow is written, when
//    the file is inside that folder (read() reads nothing outside it); else they are written out.
// The YAML itself is KestraFlow::toFlowYaml's (token as the secret HUGGINGFACE_API_KEY, never its value).
namespace KestraExport {

// A flow id from a preset name: lowercase ASCII letters and digits, every run of anything else one "_",
// none at either end; "" when nothing is left.
QString flowIdFor(const QString &name);

// The flow for `preset`, to be written at `flowPath` ("" for standard output: a read() path is then
// relative to the current folder). nullopt and *error (a sentence) when it cannot be exported; *notes
// gets what was changed on the way.
std::optional<QString> presetFlow(const Preset &preset, const QString &flowPath, QString *error,
                                  QStringList *notes = nullptr);

} // namespace KestraExport
} // namespace idesk
