#!/bin/sh
# Writes docs/screenshots/main-*.png: the main window in a few states (text classification answered,
# image dropped, error shown), driven against the loopback replay server by the TestScreenshots driver
# on a virtual X display.
#   tests/gui/make-screenshots.sh [BUILD_DIR]      (default: build)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$here/build"}
out="$here/docs/screenshots"
cmake --build "$build" --target TestScreenshots
mkdir -p "$out"
IDESK_SCREENSHOT_DIR="$out" QT_QPA_PLATFORM=xcb IDESK_TESTING=1 \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests-bin/TestScreenshots"
# docs/screenshots/providers-text-to-image.png: FLUX through fal-ai (loopback Hub and router).
cmake --build "$build" --target TestProviderBox
IDESK_SCREENSHOT_DIR="$out" QT_QPA_PLATFORM=xcb IDESK_TESTING=1 \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests-bin/TestProviderBox"
ls -l "$out"/main-*.png "$out"/providers-*.png
