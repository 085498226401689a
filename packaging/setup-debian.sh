#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (as root or through sudo), used by the README and CI:
#   packaging/setup-debian.sh run    install what is needed, build, launch the app
#   packaging/setup-debian.sh test   install what is needed, build, run the whole test suite
#   packaging/setup-debian.sh build  install and build only
# Idempotent: packages already installed are not fetched again; the build tree (build/) is reused.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
mode=${1:-run}
build=${IDESK_BUILD_DIR:-$top/build}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    mapfile -t pkgs < <(grep -v '^\s*#' "$here/debian-packages.txt" | sed '/^\s*$/d')
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

build_tree() {
    # The same flags for every mode, so that `run`, `build` and `test` share one build tree (switching between
    # them rebuilds nothing). Warnings are errors on Debian 12's compiler, as in CI; IDESK_WERROR=OFF relaxes it.
    local werror=${IDESK_WERROR:-ON}
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDESK_WERROR=$werror >/dev/null
    cmake --build "$build" -j"$(nproc)"
}

case "$mode" in
run)
    install_packages
    build_tree
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "== no display: starting the app under xvfb-run (set DISPLAY to see it on your screen)"
        exec xvfb-run -a "$build/bin/inference-desk"
    fi
    exec "$build/bin/inference-desk"
    ;;
build)
    install_packages
    build_tree
    ;;
test)
    install_packages
    build_tree
    # A private D-Bus session with an unlocked gnome-keyring and fresh XDG folders; widgets offscreen.
    export QT_QPA_PLATFORM=offscreen
    exec "$top/tests/support/session-services.sh" \
        ctest --test-dir "$build" --output-on-failure --timeout 600 -j1 ${IDESK_CTEST_ARGS:-}
    ;;
*)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
