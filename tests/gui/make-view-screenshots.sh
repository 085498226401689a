#!/bin/sh
# Writes one PNG per result view into docs/screenshots/views-*.png, each drawn from a saved result
# (see tests/gui/TestViewScreenshots.cpp for the list). Uses xvfb-run when it is installed, else Qt's
# offscreen platform.
#   tests/gui/make-view-screenshots.sh [build-dir]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$here/build"}
out="$here/docs/screenshots"
mkdir -p "$out"
cmake --build "$build" --target TestViewScreenshots
bin="$build/tests-bin/TestViewScreenshots"
export IDESK_SCREENSHOT_DIR="$out"
if command -v xvfb-run >/dev/null 2>&1; then
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x1024x24" "$bin"
else
    QT_QPA_PLATFORM=offscreen "$bin"
fi
ls -1 "$out"/views-*.png
