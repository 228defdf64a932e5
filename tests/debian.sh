#!/bin/bash
# tests/debian.sh LBW: the rootless Debian scenario, as a non-root user.
#
#   1. lbw-rootfs makes a Debian bookworm rootfs (debootstrap under lbw -0)
#   2. apt-get update + install (hello cowsay netpbm git gcc openssh-client
#      x11-apps) from the Debian mirror, then dpkg -i / dpkg -r of a local .deb
#   3. gcc compiles and runs a program; git init/add/commit/log
#   4. ssh inside connects to an sshd on 127.0.0.1 and runs a command there
#   5. pamscale inside gives the same bytes as pamscale on the host
#   6. xlogo inside draws on an Xvfb display: the screen is not blank
#
# As root, the steps run as the user lbwtest (created if missing). The
# downloaded packages are kept in $LBW_TEST_CACHE (default
# /var/tmp/lbw-test-cache) for the next run; the rootfs is made anew each
# time. Prints "ok: STEP" or "FAIL: STEP" and ends "N passed, N failed".
set -u
LBW_BIN=$(realpath "${1:?usage: tests/debian.sh path/to/lbw}")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOTFS_TOOL=$HERE/../tools/lbw-rootfs
. "$HERE/debian/steps.sh"
CACHE=${LBW_TEST_CACHE:-/var/tmp/lbw-test-cache}
MIRROR=${LBW_TEST_MIRROR:-http://deb.debian.org/debian}
SSH_PORT=${LBW_TEST_SSH_PORT:-2222}
XDISPLAY=77

setup_user || exit 1
W=$("${AS[@]}" mktemp -d /var/tmp/lbw-debian.XXXXXX)
ROOT=$W/rootfs
SSHD_DIR=$(mktemp -d /tmp/lbw-sshd.XXXXXX)
chmod 755 "$SSHD_DIR"
XVFB_PID=
cleanup() {
    sshd_stop "$SSHD_DIR"
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
    rm -rf "$W" "$SSHD_DIR"
}
trap cleanup EXIT

# The guest: fake root in the rootfs, the usual host paths bound, and the
# package cache kept outside the rootfs.
G=("$LBW_BIN" -0 -R "$ROOT" -b "$CACHE/archives:/var/cache/apt/archives" -w /root)

PASS=0 FAIL=0
step() { # step NAME FUNCTION ARGS...: runs it, shows its output on failure
    local name=$1 t0=$SECONDS
    shift
    if "$@" >"$W/step.log" 2>&1; then
        echo "ok: $name ($((SECONDS - t0)) s)"
        PASS=$((PASS + 1))
    else
        echo "FAIL: $name ($((SECONDS - t0)) s)"
        tail -n 25 "$W/step.log" | sed 's/^/  /'
        FAIL=$((FAIL + 1))
    fi
}

step_rootfs() {
    "${AS[@]}" env LBW="$LBW_BIN" "$ROOTFS_TOOL" debian "$ROOT" --mirror "$MIRROR" \
        --cache "$CACHE/debootstrap" || return 1
    local v owner
    v=$(g cat /etc/debian_version) owner=$(g stat -c %U:%G:%a /etc/shadow)
    echo "debian_version $v; /etc/shadow $owner"
    # fake root remembered: the shadow group set by dpkg, in a later run
    [[ $v == 12* ]] && [ "$owner" = root:shadow:640 ] && [ -z "$(g dpkg --audit)" ]
}

step "1 lbw-rootfs debian (debootstrap under lbw -0, non-root)" step_rootfs
if [ ! -x "$ROOT/bin/sh" ]; then
    echo "no rootfs: the other steps cannot run"
    echo "$PASS passed, $((FAIL + 1)) failed"
    exit 1
fi
step "2 apt-get update + install ${PACKAGES[*]}" step_apt_install
step "2 dpkg -i of a local .deb, then dpkg -r" step_dpkg_local
step "3 gcc compiles and runs a program; git init/add/commit/log" step_gcc_git
if sshd_start "$SSHD_DIR"; then
    step "4 ssh to an sshd on 127.0.0.1 runs a command there" step_ssh "$SSHD_DIR" "$USER_NAME"
else
    echo "FAIL: 4 ssh: the host's sshd did not start"; FAIL=$((FAIL + 1))
fi
step "5 pamscale resizes an image as on the host" step_netpbm
Xvfb ":$XDISPLAY" -screen 0 320x240x24 -nolisten tcp -br -noreset >"$W/xvfb.log" 2>&1 &
XVFB_PID=$!
for i in $(seq 50); do [ -e /tmp/.X11-unix/X$XDISPLAY ] && break; sleep 0.1; done
step "6 xlogo draws on an Xvfb display" step_x11 "$XDISPLAY"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
