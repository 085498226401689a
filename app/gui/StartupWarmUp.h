#pragma once

namespace idesk {

// Work the window's first paint waits for that does not need the UI thread, started on a pool thread the
// moment the window begins to be built, so it runs beside the widgets' construction instead of inside it:
//  - Qt's image-format plugins: at the first image any widget reads (the style's icons), Qt loads and asks
//    every installed plugin (gif, ico, jpeg, svg with QtSvg, ...) whether it reads the format;
//  - the task catalog (":/tasks.json"), which the Model box's task list needs.
// Both are thread-safe and built once per process; whoever comes second waits for, or reuses, the first.
// Calling it again does nothing.
namespace StartupWarmUp {
void start();
}

} // namespace idesk
