#!/usr/bin/env bash
# session-services.sh CMD [ARGS...]
#
# Runs CMD inside a private D-Bus session bus with an unlocked gnome-keyring (the Secret Service), so
# tests exercise the real OS keychain without touching the person's own home, bus or keyring.
#
#  - XDG_RUNTIME_DIR (0700), XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME are fresh temporary
#    directories, exported before the bus starts so that the bus, the keyring daemon and CMD all use them.
#  - DISPLAY and WAYLAND_DISPLAY are unset: no password prompt can ever appear (a prompt would block).
#  - The "login" keyring is created by `gnome-keyring-daemon --unlock` with a throw-away password
#    (an empty password creates no keyring at all with gnome-keyring 42), it is the default collection,
#    and `secret-tool store` + `secret-tool lookup` are checked before CMD runs.
#  - IDESK_SESSION_SERVICES=1 is exported for CMD: tests that write to the keychain check it.
#  - Works as root and without a display; every run is independent (fresh directories, fresh bus).
#  - Exit code: CMD's, or 125 when the session services could not be started.
set -u

if [ "$#" -eq 0 ]; then
    echo "usage: $(basename "$0") CMD [ARGS...]   (runs CMD with a private D-Bus session and an unlocked gnome-keyring)" >&2
    exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "session-services.sh: '$tool' is missing; install dbus-bin, dbus-x11, gnome-keyring and libsecret-tools" >&2
        exit 125
    fi
done

base=$(mktemp -d "${TMPDIR:-/tmp}/idesk-session.XXXXXX") || {
    echo "session-services.sh: cannot create a temporary directory" >&2
    exit 125
}
cleanup() { rm -rf "$base"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$base/runtime" "$base/data" "$base/config" "$base/cache"
chmod 0700 "$base" "$base/runtime"

export XDG_RUNTIME_DIR="$base/runtime"
export XDG_DATA_HOME="$base/data"
export XDG_CONFIG_HOME="$base/config"
export XDG_CACHE_HOME="$base/cache"
# Tells tests that the bus, the keyring and the XDG directories are private throw-away ones, so they
# may write to the keychain (TestKeychain refuses to touch a keychain without this marker).
export IDESK_SESSION_SERVICES=1
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
# Throw-away password for the throw-away login keyring (it only encrypts the file in $XDG_DATA_HOME).
IDESK_KEYRING_PASSWORD="idesk-test-$$-$RANDOM$RANDOM"
export IDESK_KEYRING_PASSWORD

# shellcheck disable=SC2016 # expanded by the inner shell
dbus-run-session -- bash -c '
    set -u
    unset DISPLAY WAYLAND_DISPLAY
    fail() { echo "session-services.sh: $*" >&2; exit 125; }

    # --unlock creates and unlocks the login keyring; --start then has the running daemon take
    # org.freedesktop.secrets on this bus (before it, only its control socket exists).
    out=$(printf "%s" "$IDESK_KEYRING_PASSWORD" | gnome-keyring-daemon --daemonize --unlock --components=secrets) \
        || fail "gnome-keyring-daemon --unlock failed"
    unset IDESK_KEYRING_PASSWORD
    eval "$out"
    out=$(gnome-keyring-daemon --start --components=secrets 2>/dev/null) \
        || fail "gnome-keyring-daemon --start failed"
    eval "$out"
    if [ -z "${GNOME_KEYRING_CONTROL:-}" ] && [ -d "$XDG_RUNTIME_DIR/keyring" ]; then
        GNOME_KEYRING_CONTROL="$XDG_RUNTIME_DIR/keyring"
    fi
    export GNOME_KEYRING_CONTROL

    daemon_pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk "{print \$2}")
    stop_daemon() {
        if [ -n "${daemon_pid:-}" ]; then
            kill "$daemon_pid" 2>/dev/null
            daemon_pid=""
        fi
    }
    trap stop_daemon EXIT
    [ -n "$daemon_pid" ] || fail "no Secret Service (org.freedesktop.secrets) on the private bus"

    # The default collection must exist and be unlocked: prove it with a store and a lookup.
    probe="probe-$$"
    printf "%s" "$probe" | timeout 15 secret-tool store --label="inference-desk session probe" idesk-session-probe "$probe" \
        || fail "secret-tool store failed: the default \"login\" keyring is missing or locked"
    got=$(timeout 15 secret-tool lookup idesk-session-probe "$probe") \
        || fail "secret-tool lookup failed after a store"
    [ "$got" = "$probe" ] || fail "secret-tool lookup returned something else than what was stored"
    timeout 15 secret-tool clear idesk-session-probe "$probe" || fail "secret-tool clear failed"

    "$@"
    rc=$?
    stop_daemon
    exit $rc
' session-services "$@"
rc=$?
exit $rc
