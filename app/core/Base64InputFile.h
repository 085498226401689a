#pragma once

#include "InferenceRequest.h"

#include <optional>

namespace idesk {

// A request whose `inputs` is a base64 string of an image or audio file (Kestra's image flows read one
// with "{{ read('my-base64-image.txt') }}") holds a file, not text: this gives that file back (bytes,
// sniffed MIME type, `name` as its path when given), or nothing when the inputs are not such a string
// (plain text, a file already attached, bytes that are neither image nor audio).
namespace Base64InputFile {

std::optional<InputFile> fromInputs(const InferenceRequest &request, const QString &name = QString());

} // namespace Base64InputFile

} // namespace idesk
