#!/usr/bin/env bash
# clean-room.sh: proves the README's two commands on a bare Debian 12, as a new user's machine would be.
#
#   bash packaging/clean-room.sh            (as root; CI runs it after the normal test command)
#
# 1. Makes a minimal Debian 12 root (`debootstrap --variant=minbase bookworm`) from the Debian mirror this
#    machine's apt uses, so nothing the project needs is there unless our package list installs it.
# 2. Copies a clean clone of the project (its committed HEAD: what CI and a new user get) into it.
# 3. Gives it what an installed system has and debootstrap leaves out: /etc/hosts naming localhost,
#    /etc/resolv.conf, a hostname, the same apt sources as this machine (release, updates, security).
# 4. Mounts /proc, /dev, /dev/pts and /dev/shm, and undoes every mount on every exit path.
# 5. Runs, with an empty environment (env -i: only HOME and PATH, as a root login has):
#      bash packaging/setup-debian.sh test     the README's test command: install, build, whole test suite
#      bash packaging/setup-debian.sh build    then the run command's build, and the app started under
#                                              xvfb-run for 3 s must show its window (xwininfo finds it)
# 6. Prints the ctest summary, the packages the set-up installed and the wall time; exits non-zero when any
#    step fails.
#
# Environment: IDESK_CLEAN_ROOM_DIR (where the root goes; default a fresh folder under /var/tmp, removed
# afterwards unless IDESK_CLEAN_ROOM_KEEP=1), IDESK_CLEAN_ROOM_MIRROR (overrides the mirror read from apt),
# IDESK_CTEST_ARGS (passed to ctest inside, e.g. "-L core" for a quicker check).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
start=$(date +%s)
suite=bookworm

say() { printf '== clean room: %s\n' "$*"; }
die() { printf '== clean room: FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run me as root (debootstrap, chroot and mount need it)"

# --- the Debian mirror this machine's apt uses --------------------------------------------------------------
mirror_from_apt() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: the URIs of the stanza whose Suites name the release itself.
        awk -v suite="$suite" '
            /^[[:space:]]*$/ { if (uris != "" && has) { print uris; exit } uris=""; has=0; next }
            /^URIs:/ { uris=$2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has=1 }
            END { if (uris != "" && has) print uris }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v suite="$suite" '$1 == "deb" && $0 !~ /\[/ && $3 == suite { print $2 } \
                               $1 == "deb" && $0 ~ /\]/ { for (i = 2; i <= NF; i++) if ($i ~ /\]$/) { if ($(i + 2) == suite) print $(i + 1); break } }' "$f"
    done
}
mirror=${IDESK_CLEAN_ROOM_MIRROR:-$(mirror_from_apt | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
# Only live lines: deb822 "URIs:" fields and one-line "deb" entries (a comment may name a snapshot server).
security=$(grep -rhE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    grep -oE 'https?://[^ ]*debian-security/?' | head -n 1 || true)
security=${security:-http://deb.debian.org/debian-security}

# --- debootstrap on this machine -----------------------------------------------------------------------------
if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap on this machine"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# --- the root and its clean-up on every exit path -----------------------------------------------------------
if [ -n "${IDESK_CLEAN_ROOM_DIR:-}" ]; then
    root=$IDESK_CLEAN_ROOM_DIR
    [ ! -e "$root" ] || [ -z "$(ls -A "$root")" ] || die "$root exists and is not empty"
    mkdir -p "$root"
else
    root=$(mktemp -d /var/tmp/idesk-clean-room.XXXXXX)
fi
mounted=()
cleanup() {
    local status=$?
    local i
    # Undo the mounts in reverse order; a busy one is detached lazily rather than left behind.
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null ||
            echo "== clean room: could not unmount ${mounted[$i]}" >&2
    done
    if grep -q " $root/" /proc/mounts; then
        echo "== clean room: mounts are left under $root; not removing it" >&2
        status=1
    elif [ "${IDESK_CLEAN_ROOM_KEEP:-0}" != 1 ]; then
        rm -rf "$root"
    else
        echo "== clean room: kept $root"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mount_in() { # mount_in TARGET MOUNT-ARGS...
    local target=$root$1
    shift
    mkdir -p "$target"
    mount "$@" "$target"
    mounted+=("$target")
}

say "debootstrap --variant=minbase $suite from $mirror into $root"
t0=$(date +%s)
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -n 20 "$root.debootstrap.log" >&2
    rm -f "$root.debootstrap.log"
    die "debootstrap failed"
}
rm -f "$root.debootstrap.log"
say "debootstrap took $(($(date +%s) - t0)) s"
mapfile -t base_packages < <(chroot "$root" dpkg-query -W -f='${binary:Package}\n' | sort)

# --- what an installed system has and debootstrap leaves out -------------------------------------------------
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tclean-room\n' >"$root/etc/hosts"
echo clean-room >"$root/etc/hostname"
if [ -s /etc/resolv.conf ]; then cp -L /etc/resolv.conf "$root/etc/resolv.conf"; fi
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF

# --- a clean clone of the project: its committed HEAD, nothing from this work tree -------------------------
say "cloning $(git -C "$top" rev-parse --short HEAD) into the root"
mkdir -p "$root/src"
git clone --quiet --no-hardlinks "$top" "$root/src/inference-desk"

mount_in /proc -t proc proc
mount_in /dev --bind /dev
mount_in /dev/pts -t devpts devpts -o newinstance,ptmxmode=0666,mode=0620
mount_in /dev/shm -t tmpfs tmpfs -o mode=1777

extra_env=()
[ -z "${IDESK_CTEST_ARGS:-}" ] || extra_env+=("IDESK_CTEST_ARGS=$IDESK_CTEST_ARGS")
in_root() { # runs a command in the root with an empty environment, as a root login would have it
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "${extra_env[@]}" /bin/bash -c "$1"
}

# --- the README's test command ------------------------------------------------------------------------------
say "bash packaging/setup-debian.sh test (inside, env -i)"
t0=$(date +%s)
set +e
in_root 'cd /src/inference-desk && bash packaging/setup-debian.sh test' 2>&1 | tee "$root/test.log" |
    grep --line-buffered -vE '^\[[0-9]+/[0-9]+\] (Building|Linking|Automatic|Running|Generating|Rendering)|^(Selecting previously|Preparing to unpack|Unpacking|Setting up|Processing triggers|\(Reading database)'
test_status=${PIPESTATUS[0]}
set -e
test_seconds=$(($(date +%s) - t0))
summary=$(grep -E '^[0-9]+% tests passed|^Total Test time' "$root/test.log" || true)

# --- the README's run command: build, then the window must appear -------------------------------------------
run_status=1
if [ "$test_status" -eq 0 ]; then
    say "bash packaging/setup-debian.sh build, then the app under xvfb-run for 3 s (inside, env -i)"
    # shellcheck disable=SC2016 # expanded inside the root
    in_root 'cd /src/inference-desk && bash packaging/setup-debian.sh build >/dev/null &&
        xvfb-run -a -s "-screen 0 1400x900x24" bash -c "
            export XDG_RUNTIME_DIR=\$(mktemp -d) XDG_CONFIG_HOME=\$(mktemp -d) XDG_DATA_HOME=\$(mktemp -d)
            build/bin/inference-desk & app=\$!
            sleep 3
            windows=\$(xwininfo -root -tree 2>/dev/null | grep -c \"Inference Desk\")
            alive=no; kill -0 \$app 2>/dev/null && alive=yes
            kill \$app 2>/dev/null; wait \$app 2>/dev/null
            echo \"after 3 s: app running: \$alive; windows named Inference Desk: \$windows\"
            [ \$alive = yes ] && [ \$windows -gt 0 ]"' 2>&1 | tee "$root/run.log"
    run_status=${PIPESTATUS[0]}
fi

mapfile -t after_packages < <(chroot "$root" dpkg-query -W -f='${binary:Package}\n' | sort)
added=$(comm -13 <(printf '%s\n' "${base_packages[@]}") <(printf '%s\n' "${after_packages[@]}"))
installed=$(grep -c . <<<"$added" || true)
listed=$(grep -v '^\s*#' "$top/packaging/debian-packages.txt" | sed '/^\s*$/d' | tr '\n' ' ')

echo
say "summary"
echo "   mirror:              $mirror ($suite, $suite-updates, $suite-security)"
echo "   packages listed:     $listed"
echo "   packages installed:  $installed (the listed ones and their dependencies, over debootstrap's minbase)"
echo "   all installed:"
tr '\n' ' ' <<<"$added" | fold -s -w 110 | sed 's/^/      /'
echo
echo "   test command:        $([ "$test_status" -eq 0 ] && echo passed || echo "FAILED (exit $test_status)") in ${test_seconds} s"
[ -n "$summary" ] && sed 's/^/   /' <<<"$summary"
if [ "$test_status" -ne 0 ]; then
    echo "   run command:         not tried (the test command failed)"
else
    echo "   run command:         $([ "$run_status" -eq 0 ] && echo "the window appeared" || echo "FAILED: no window")"
fi
echo "   wall time:           $(($(date +%s) - start)) s"
[ "$test_status" -eq 0 ] || die "the README's test command failed in the clean room"
[ "$run_status" -eq 0 ] || die "the app showed no window in the clean room"
say "passed"
