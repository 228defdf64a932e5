# Differential: tests/guest/pathwalk.c in a real chroot against the same
# program under `lbw -r` (and, with a bind, a real bind mount in a mount
# namespace against `lbw -r -b`): every path call it makes -- symlinks,
# `..`, relative to descriptors and the cwd -- answers the same inside a
# guest root as inside the kernel's. Needs root for the native side (CI and
# the sessions run as root; `unshare -r` stands in for a non-root user).
. "$TESTS_DIR/lib.sh"
# This test sets its own root: keep only --no-rewrite of the runner's flags.
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
if [ "$(id -u)" = 0 ]; then AS=(); else AS=(unshare -r); fi

for v in static musl; do
    guest_bin $v pathwalk || continue
    bin=$BIN
    R=$T/root-$v
    mkdir -p "$R/tmp" "$R/mnt" "$T/bound-$v"
    cp "$bin" "$R/pathwalk"

    _n=$((_n + 1))
    a=$T/same.$_n.native b=$T/same.$_n.lbw
    timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" chroot "$R" /pathwalk /tmp >"$a.out" 2>"$a.err" </dev/null
    echo $? >"$a.rc"
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" -r "$R" /pathwalk /tmp >"$b.out" 2>"$b.err" </dev/null
    echo $? >"$b.rc"
    _compare "$v: chroot against lbw -r" "$a" "$b"
    check "$v: pathwalk printed its calls ($(wc -l <"$a.out") lines)" "$(wc -l <"$a.out")" -gt 150

    # The tree inside a bind: absolute symlinks go through the bind too,
    # and a rename or link out of the bind is refused (EXDEV) as between
    # mounts.
    _n=$((_n + 1))
    a=$T/same.$_n.native b=$T/same.$_n.lbw
    timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" unshare -m sh -c \
        'mount --bind "$1" "$2/mnt" && exec chroot "$2" /pathwalk /mnt' sh "$T/bound-$v" "$R" \
        >"$a.out" 2>"$a.err" </dev/null
    echo $? >"$a.rc"
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" -r "$R" -b "$T/bound-$v:/mnt" /pathwalk /mnt \
        >"$b.out" 2>"$b.err" </dev/null
    echo $? >"$b.rc"
    _compare "$v: bind mount against lbw -b" "$a" "$b"
    check "$v: nothing was left in the root's /mnt" -z "$(ls -A "$R/mnt")"

    # Mount points as names, and renames and links between mounts
    # (tests/guest/mountnames.c): a real chroot with four bind mounts
    # (/proc one of them) against lbw -r with the same binds; the bound
    # file keeps its text.
    guest_bin $v mountnames || continue
    M=$T/mounts-$v
    rm -rf "$M"
    mkdir -p "$M/root/mnt" "$M/root/work" "$M/root/proc" "$M/bound/sub"
    cp "$BIN" "$M/root/mountnames"
    : >"$M/root/hostfile"
    echo bound >"$M/file"
    echo f >"$M/bound/f"
    echo a >"$M/bound/sub/a"
    _n=$((_n + 1))
    a=$T/same.$_n.native b=$T/same.$_n.lbw
    timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" unshare -m sh -c \
        'mount --bind "$1/bound" "$1/root/mnt" && mount --bind "$1/bound/sub" "$1/root/work" &&
         mount --bind "$1/file" "$1/root/hostfile" && mount --bind /proc "$1/root/proc" &&
         exec chroot "$1/root" /mountnames /mnt /work /hostfile' \
        sh "$M" >"$a.out" 2>"$a.err" </dev/null
    echo $? >"$a.rc"
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" -r "$M/root" -b "$M/bound:/mnt" -b "$M/bound/sub:/work" \
        -b "$M/file:/hostfile" -b /proc:/proc /mountnames /mnt /work /hostfile >"$b.out" 2>"$b.err" </dev/null
    echo $? >"$b.rc"
    _compare "$v: mount points and mounts against lbw's binds" "$a" "$b"
    check "$v: mountnames printed its calls ($(wc -l <"$a.out") lines)" "$(wc -l <"$a.out")" -ge 20
    check "$v: the bound file kept its text" "$(cat "$M/file")" = bound
done
finish
