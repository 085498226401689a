#!/usr/bin/env bash
# TestPackaging (ctest label "packaging", registered by packaging/CMakeLists.txt, which sets the IDESK_*
# variables below). Checks the desktop integration and the Debian package from a built tree:
#   1. the .desktop file passes desktop-file-validate and declares our MIME types, YAML and the categories;
#   2. the AppStream metainfo passes appstreamcli validate --no-net (screenshots that are the README's
#      docs/screenshots/*.png, 0.1.0 release, OARS);
#   3. the man pages exist and name every subcommand and every option that `inference-desk-cli --help` and
#      `inference-desk-cli COMMAND --help` list, and every command that app/cli/main.cpp dispatches is listed;
#   4. cpack builds the .deb into a temporary folder; dpkg-deb -I shows Depends from shlibdeps (Qt,
#      QtKeychain) plus libsecret-1-0, all installed here; dpkg-deb -c shows every file in its place;
#   5. the package is unpacked into a scratch root (dpkg-deb -x): both programs answer --version from there,
#      with no RPATH into the build tree; the icons have their sizes; update-mime-database and
#      update-desktop-database on the scratch root register *.idpreset / *.idresult and the app as their
#      handler (and for YAML); appstreamcli validate-tree passes on the installed tree.
# Nothing is installed on the machine; the temporary folder is removed on exit.
set -uo pipefail

: "${IDESK_SOURCE_DIR:?}" "${IDESK_BUILD_DIR:?}" "${IDESK_APP_ID:?}" "${IDESK_VERSION:?}" "${IDESK_DESKTOP_FILE:?}"
: "${IDESK_METAINFO_FILE:?}" "${IDESK_MAN_DIR:?}" "${IDESK_ICON_SIZES:?}" "${IDESK_GUI_EXPECTED:?}" "${IDESK_CLI:?}"

passed=0
failed=0
pass() {
    echo "PASS   : $*"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL!  : $*"
    failed=$((failed + 1))
}
# expect DESCRIPTION COMMAND...: passes when the command succeeds.
expect() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
indent() { sed 's/^/         /'; }
has_tool() {
    if command -v "$1" >/dev/null 2>&1; then return 0; fi
    fail "$1 is not installed: apt-get install $2 (listed in packaging/debian-packages.txt)"
    return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/idesk-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
desktop_id=$(basename "$IDESK_DESKTOP_FILE")
our_types=(application/x-inference-desk-preset application/x-inference-desk-result)
yaml_types=(application/x-yaml text/yaml)

# --- 1. the .desktop file -----------------------------------------------------------------------------------
if has_tool desktop-file-validate desktop-file-utils; then
    out=$(desktop-file-validate "$IDESK_DESKTOP_FILE" 2>&1)
    rc=$?
    [ -n "$out" ] && echo "$out" | indent
    expect "desktop-file-validate $desktop_id (no error, no warning)" \
        test "$rc" -eq 0 -a -z "$(echo "$out" | grep -E ': (error|warning):')"
fi
expect "$desktop_id is named after the AppStream id" test "$desktop_id" = "$IDESK_APP_ID.desktop"
desktop_value() { sed -n "s/^$1=//p" "$IDESK_DESKTOP_FILE"; }
expect "Exec= runs inference-desk with the opened file" \
    grep -qE '^inference-desk %[fF]$' <<<"$(desktop_value Exec)"
expect "Categories=Development;Science;" test "$(desktop_value Categories)" = "Development;Science;"
expect "Keywords= is set" test -n "$(desktop_value Keywords)"
expect "Icon=inference-desk" test "$(desktop_value Icon)" = "inference-desk"
for t in "${our_types[@]}" "${yaml_types[@]}"; do
    expect "MimeType= lists $t" grep -qE "(^|;)$t;" <<<"$(desktop_value MimeType)"
done

# --- 2. the AppStream metainfo ------------------------------------------------------------------------------
if has_tool appstreamcli appstream; then
    out=$(appstreamcli validate --no-net "$IDESK_METAINFO_FILE" 2>&1)
    rc=$?
    echo "$out" | indent
    expect "appstreamcli validate --no-net $(basename "$IDESK_METAINFO_FILE")" test "$rc" -eq 0
fi
expect "metainfo: component id $IDESK_APP_ID" grep -q "<id>$IDESK_APP_ID</id>" "$IDESK_METAINFO_FILE"
expect "metainfo: launchable is $desktop_id" \
    grep -q "<launchable type=\"desktop-id\">$desktop_id</launchable>" "$IDESK_METAINFO_FILE"
expect "metainfo: has https screenshots" \
    test "$(grep -cE '<image>https://[^<]+\.png</image>' "$IDESK_METAINFO_FILE")" -ge 1
for shot in $(sed -n 's,.*<image>https://[^<]*/\([^/<]*\.png\)</image>.*,\1,p' "$IDESK_METAINFO_FILE"); do
    expect "metainfo: screenshot $shot is one of the README's docs/screenshots" \
        test -f "$IDESK_SOURCE_DIR/docs/screenshots/$shot"
done
expect "metainfo: release notes for $IDESK_VERSION" \
    grep -qE "<release version=\"$IDESK_VERSION\" date=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\">" "$IDESK_METAINFO_FILE"
expect "metainfo: OARS 1.1 content rating" grep -q '<content_rating type="oars-1.1"' "$IDESK_METAINFO_FILE"

# --- 3. the man pages ---------------------------------------------------------------------------------------
# The plain words of a gzipped man page: roff escapes for '-', fonts and zero-width characters dropped.
man_text() { zcat "$1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\&//g' -e 's/\\,//g' -e 's,\\/,,g'; }
cli_man=$IDESK_MAN_DIR/inference-desk-cli.1.gz
cli_help=$("$IDESK_CLI" --help 2>&1)
mapfile -t commands < <(sed -n '/^Commands:/,/^$/p' <<<"$cli_help" | sed -n 's/^  \([a-z][a-z0-9-]*\)\( .*\)\{0,1\}$/\1/p')
expect "inference-desk-cli --help lists its commands (${commands[*]})" test "${#commands[@]}" -ge 2
mapfile -t dispatched < <(grep -oE 'command == QLatin1String\("[a-z][a-z0-9-]*"\)' \
    "$IDESK_SOURCE_DIR/app/cli/main.cpp" | sed -E 's/.*"(.*)".*/\1/')
for cmd in "${dispatched[@]}"; do
    expect "inference-desk-cli --help lists the command '$cmd' that main.cpp dispatches" \
        grep -qx "$cmd" < <(printf '%s\n' "${commands[@]}")
done
if [ ! -f "$cli_man" ]; then
    fail "man page $cli_man was not generated (is help2man installed? apt-get install help2man)"
else
    text=$(man_text "$cli_man")
    expect "man page header carries inference-desk-cli $IDESK_VERSION" \
        grep -q "^.TH INFERENCE-DESK-CLI \"1\" .*\"inference-desk-cli $IDESK_VERSION\"" <<<"$text"
    for cmd in "${commands[@]}"; do
        expect "man page lists the command '$cmd'" grep -qx "$cmd" <<<"$text"
        expect "man page has a section for 'inference-desk-cli $cmd'" \
            grep -qF ".SS \"inference-desk-cli $cmd\"" <<<"$text"
        sub_help=$("$IDESK_CLI" "$cmd" --help 2>/dev/null) || continue
        missing=""
        for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$sub_help" | sort -u); do
            grep -qF -- "$opt" <<<"$text" || missing="$missing $opt"
        done
        expect "man page has every option of '$cmd --help'${missing:+ (missing:$missing)}" test -z "$missing"
    done
fi
if [ "$IDESK_GUI_EXPECTED" = 1 ]; then
    gui_man=$IDESK_MAN_DIR/inference-desk.1.gz
    if [ ! -f "$gui_man" ]; then
        fail "man page $gui_man was not generated (is help2man installed? apt-get install help2man)"
    else
        text=$(man_text "$gui_man")
        gui_help=$(QT_QPA_PLATFORM=offscreen "${IDESK_GUI:?}" --help 2>/dev/null)
        missing=""
        for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$gui_help" | sort -u); do
            grep -qF -- "$opt" <<<"$text" || missing="$missing $opt"
        done
        expect "inference-desk man page has every option of its --help${missing:+ (missing:$missing)}" \
            test -n "$gui_help" -a -z "$missing"
    fi
fi

# --- 4. the Debian package ----------------------------------------------------------------------------------
if has_tool cpack cmake && has_tool dpkg-deb dpkg && has_tool dpkg-shlibdeps dpkg-dev; then
    if ! (cd "$work" && cpack -G DEB --config "$IDESK_BUILD_DIR/CPackConfig.cmake" -B "$work/cpack") \
        >"$work/cpack.log" 2>&1; then
        tail -n 30 "$work/cpack.log" | indent
        fail "cpack -G DEB"
    fi
    mapfile -t debs < <(find "$work/cpack" -maxdepth 1 -name '*.deb' 2>/dev/null)
    expect "cpack made one .deb (${debs[*]##*/})" test "${#debs[@]}" -eq 1
fi
deb=${debs[0]:-}
if [ -n "$deb" ]; then
    arch=$(dpkg --print-architecture)
    expect "package file is inference-desk_${IDESK_VERSION}_$arch.deb" \
        test "$(basename "$deb")" = "inference-desk_${IDESK_VERSION}_$arch.deb"
    info=$(dpkg-deb -I "$deb")
    echo "$info" | indent
    field() { dpkg-deb -f "$deb" "$1"; }
    expect "Package: inference-desk" test "$(field Package)" = inference-desk
    expect "Version: $IDESK_VERSION" test "$(field Version)" = "$IDESK_VERSION"
    for f in Maintainer Section Homepage Description Installed-Size; do
        expect "control field $f is set" test -n "$(field "$f")"
    done
    depends=$(field Depends)
    depends_list=$(tr ',' '\n' <<<"$depends" | sed -E 's/^ *//; s/ *\(.*//')
    expect "Depends has libqt6core6 (from shlibdeps)" grep -qx libqt6core6 <<<"$depends_list"
    expect "Depends has QtKeychain (from shlibdeps)" grep -qE '^libqt6keychain[0-9]+$' <<<"$depends_list"
    expect "Depends has libsecret-1-0 (dlopen'ed by QtKeychain)" grep -qx libsecret-1-0 <<<"$depends_list"
    expect "Depends has libc6 with a version (shlibdeps ran)" grep -qE '(^|, )libc6 \(>= ' <<<"$depends"
    if [ "$IDESK_GUI_EXPECTED" = 1 ]; then
        expect "Depends has libqt6widgets6 (the app)" grep -qx libqt6widgets6 <<<"$depends_list"
    fi
    expect "Recommends has gnome-keyring" grep -qE '(^|, )gnome-keyring' <<<"$(field Recommends)"
    not_installed=""
    for p in $(sed 's/|.*//' <<<"$depends_list"); do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || not_installed="$not_installed $p"
    done
    expect "every package in Depends is installed on this machine${not_installed:+ (not:$not_installed)}" \
        test -z "$not_installed"

    listing=$(dpkg-deb -c "$deb")
    paths=$(awk '{print $6}' <<<"$listing" | sed 's,^\./,/,')
    expected=(/usr/bin/inference-desk-cli "/usr/share/applications/$desktop_id"
        "/usr/share/metainfo/$IDESK_APP_ID.metainfo.xml" /usr/share/mime/packages/inference-desk.xml
        /usr/share/icons/hicolor/scalable/apps/inference-desk.svg /usr/share/man/man1/inference-desk-cli.1.gz)
    for s in $IDESK_ICON_SIZES; do expected+=("/usr/share/icons/hicolor/${s}x$s/apps/inference-desk.png"); done
    if [ "$IDESK_GUI_EXPECTED" = 1 ]; then
        expected+=(/usr/bin/inference-desk /usr/share/man/man1/inference-desk.1.gz)
    fi
    for p in "${expected[@]}"; do expect "package holds $p" grep -qx -- "$p" <<<"$paths"; done
    stray=$(grep -vE '/$' <<<"$paths" | grep -vE '^/usr/(bin/[^/]+|share/(applications|metainfo|mime/packages|man/man1)/[^/]+|share/icons/hicolor/[^/]+/apps/[^/]+)$')
    [ -n "$stray" ] && echo "$stray" | indent
    expect "package holds nothing else" test -z "$stray"
    expect "every file in the package belongs to root:root" \
        test -z "$(awk '$2 != "root/root"' <<<"$listing")"

    # --- 5. unpacked into a scratch root --------------------------------------------------------------------
    root=$work/root
    dpkg-deb -x "$deb" "$root"
    programs=(inference-desk-cli)
    [ "$IDESK_GUI_EXPECTED" = 1 ] && programs+=(inference-desk)
    for prog in "${programs[@]}"; do
        bin=$root/usr/bin/$prog
        expect "$prog is executable in the scratch root" test -x "$bin"
        [ -x "$bin" ] || continue
        expect "$prog has no RPATH/RUNPATH (uses the system's libraries)" \
            test -z "$(readelf -d "$bin" | grep -E 'R(UN)?PATH')"
        expect "$prog resolves every shared library" test -z "$(ldd "$bin" | grep 'not found')"
        out=$(env -u LD_LIBRARY_PATH QT_QPA_PLATFORM=offscreen timeout 60 "$bin" --version 2>"$work/stderr")
        rc=$?
        echo "$out" | indent
        indent <"$work/stderr"
        expect "$prog --version from the scratch root says $IDESK_VERSION" \
            test "$rc" -eq 0 -a "$out" = "$prog $IDESK_VERSION"
    done
    for s in $IDESK_ICON_SIZES; do
        png=$root/usr/share/icons/hicolor/${s}x$s/apps/inference-desk.png
        [ -f "$png" ] || continue
        expect "icon ${s}x$s is a ${s} x ${s} PNG with alpha" \
            grep -qE "PNG image data, $s x $s, 8-bit/color RGBA" <<<"$(file -b "$png")"
    done
    if has_tool update-mime-database shared-mime-info; then
        update-mime-database "$root/usr/share/mime" >/dev/null 2>&1
        expect "shared-mime-info: *.idpreset is application/x-inference-desk-preset" \
            grep -qx '50:application/x-inference-desk-preset:\*\.idpreset' "$root/usr/share/mime/globs2"
        expect "shared-mime-info: *.idresult is application/x-inference-desk-result" \
            grep -qx '50:application/x-inference-desk-result:\*\.idresult' "$root/usr/share/mime/globs2"
        for t in "${our_types[@]}"; do
            expect "shared-mime-info: $t is a JSON file" \
                grep -qx "$t application/json" "$root/usr/share/mime/subclasses"
        done
    fi
    if has_tool update-desktop-database desktop-file-utils; then
        update-desktop-database "$root/usr/share/applications"
        for t in "${our_types[@]}" "${yaml_types[@]}"; do
            expect "Open with: $desktop_id handles $t" \
                grep -qE "^$t=(.*;)?$desktop_id;" "$root/usr/share/applications/mimeinfo.cache"
        done
    fi
    if command -v appstreamcli >/dev/null; then
        out=$(appstreamcli validate-tree --no-net "$root" 2>&1)
        rc=$?
        echo "$out" | indent
        expect "appstreamcli validate-tree --no-net on the installed files" test "$rc" -eq 0
    fi
fi

echo "Totals: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
