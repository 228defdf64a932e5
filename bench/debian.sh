#!/bin/bash
# bench/debian.sh [LBW]: the Debian scenario of tests/debian.sh, timed step
# by step under lbw (lbw -0 -R ROOT) and under PRoot (proot -0 -r ROOT with
# the same binds), as the non-root user lbwtest when run as root. Writes
# bench/results/debian.md (the table the README quotes), debian.csv, and
# debian-failures.txt (the end of the output of each step that failed).
#
# Both tools start with the same warm package cache ($LBW_TEST_CACHE, filled
# by tests/debian.sh or by this script's first run), so the network counts
# little; each makes its own rootfs with debootstrap under its fake root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
LBW_BIN=$(realpath "${1:-$top/build/lbw}")
. "$top/tests/debian/steps.sh"
CACHE=${LBW_TEST_CACHE:-/var/tmp/lbw-test-cache}
MIRROR=${LBW_TEST_MIRROR:-http://deb.debian.org/debian}
SSH_PORT=${LBW_TEST_SSH_PORT:-2223}
XDISPLAY=78
OUT=${BENCH_OUT:-$here/results}
PROOT=$(command -v proot) || { echo "bench/debian.sh: needs proot (apt-get install proot)" >&2; exit 2; }

setup_user || exit 1
mkdir -p "$OUT"
: >"$OUT/debian-failures.txt"
SSHD_DIR=$(mktemp -d /tmp/lbw-sshd.XXXXXX)
chmod 755 "$SSHD_DIR"
XVFB_PID=
WS=()
cleanup() {
    sshd_stop "$SSHD_DIR"
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
    rm -rf "$SSHD_DIR" "${WS[@]}"
}
trap cleanup EXIT
sshd_start "$SSHD_DIR" || { echo "bench/debian.sh: sshd did not start" >&2; exit 1; }
Xvfb ":$XDISPLAY" -screen 0 320x240x24 -nolisten tcp -br -noreset >/dev/null 2>&1 &
XVFB_PID=$!

now() { date +%s.%N; }
declare -A TIME RESULT
timed() { # timed TOOL STEP FUNCTION ARGS...
    local tool=$1 name=$2 t0 t1
    shift 2
    t0=$(now)
    if "$@" >"$W/$name.log" 2>&1; then
        RESULT[$tool,$name]=ok
    else
        RESULT[$tool,$name]=FAILED
        { echo "== $tool $name failed; the end of its output:"; tail -n 20 "$W/$name.log"; } >>"$OUT/debian-failures.txt"
    fi
    t1=$(now)
    TIME[$tool,$name]=$(awk "BEGIN { print $t1 - $t0 }")
    echo "$tool $name: ${RESULT[$tool,$name]} in ${TIME[$tool,$name]} s" >&2
}

mk_lbw() { "${AS[@]}" env LBW="$LBW_BIN" "$top/tools/lbw-rootfs" debian "$ROOT" --mirror "$MIRROR" --cache "$CACHE/debootstrap"; }
# PRoot cannot chroot into the target nor make device nodes (its mknod
# under -0 "succeeds" and leaves nothing), so it takes the usual PRoot
# recipe: the device files made beforehand as plain files, debootstrap's
# first stage (--foreign) under proot -0, the second inside proot -0 -r.
mk_proot() {
    "${AS[@]}" mkdir -p "$ROOT/dev" || return 1
    (cd "$ROOT/dev" && "${AS[@]}" touch null zero full random urandom tty console) || return 1
    "${AS[@]}" "$PROOT" -0 /usr/sbin/debootstrap --foreign --variant=minbase --cache-dir="$CACHE/debootstrap" \
        bookworm "$ROOT" "$MIRROR" || return 1
    "${AS[@]}" "$PROOT" -0 -r "$ROOT" -b /dev -b /proc -b /sys /usr/bin/env DEBOOTSTRAP_DIR=/debootstrap \
        /bin/sh /debootstrap/debootstrap --second-stage
}

STEPS=(rootfs apt dpkg gcc_git ssh netpbm x11)
for tool in lbw proot; do
    W=$("${AS[@]}" mktemp -d /var/tmp/lbw-bench-debian.XXXXXX)
    WS+=("$W")
    ROOT=$W/rootfs
    if [ $tool = lbw ]; then
        G=("$LBW_BIN" -0 -R "$ROOT" -b "$CACHE/archives:/var/cache/apt/archives" -w /root)
    else
        G=("$PROOT" -0 -r "$ROOT" -b /dev -b /proc -b /sys -b /tmp -b /etc/resolv.conf -b /etc/hosts
            -b "$USER_HOME" -b "$CACHE/archives:/var/cache/apt/archives" -w /root)
    fi
    timed $tool rootfs mk_$tool
    timed $tool apt step_apt_install
    timed $tool dpkg step_dpkg_local
    timed $tool gcc_git step_gcc_git
    timed $tool ssh step_ssh "$SSHD_DIR" "$USER_NAME"
    timed $tool netpbm step_netpbm
    timed $tool x11 step_x11 "$XDISPLAY"
    rm -rf "$W"
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
{
    echo "# The Debian scenario: lbw -0 against proot -0"
    echo
    echo "Machine: $(nproc) x $cpu, $(uname -sr), $(date -u +%Y-%m-%d). Run as the non-root user $USER_NAME;"
    echo "the package cache was warm for both. Seconds of wall time, one run each."
    echo
    echo "| step | lbw -0 -R | proot -0 -r | proot / lbw |"
    echo "|---|---:|---:|---:|"
    tl=0 tp=0
    for s in "${STEPS[@]}"; do
        a=${TIME[lbw,$s]} b=${TIME[proot,$s]}
        ra=${RESULT[lbw,$s]} rb=${RESULT[proot,$s]}
        [ "$ra" = ok ] && ta=$(printf %.1f "$a") || ta="$(printf %.1f "$a") (failed)"
        [ "$rb" = ok ] && tb=$(printf %.1f "$b") || tb="$(printf %.1f "$b") (failed)"
        echo "| $s | $ta | $tb | $(awk "BEGIN { printf \"%.2f\", $b / $a }") |"
        tl=$(awk "BEGIN { print $tl + $a }") tp=$(awk "BEGIN { print $tp + $b }")
    done
    echo "| **whole scenario** | **$(printf %.1f "$tl")** | **$(printf %.1f "$tp")** | **$(awk "BEGIN { printf \"%.2f\", $tp / $tl }")** |"
} >"$OUT/debian.md"
{
    echo "step,lbw_s,lbw_result,proot_s,proot_result"
    for s in "${STEPS[@]}"; do echo "$s,${TIME[lbw,$s]},${RESULT[lbw,$s]},${TIME[proot,$s]},${RESULT[proot,$s]}"; done
} >"$OUT/debian.csv"
cat "$OUT/debian.md"
