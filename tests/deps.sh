#!/bin/bash
# tests/deps.sh: make sure the tools the test suite needs are present.
#
# As root, missing Debian packages are installed (apt-get update, then
# apt-get install -y). As any other user, one line names what is missing and
# the script exits 1. Exit 0 when everything is there.
set -u

need() { # need PACKAGE TEST-COMMAND...
    local pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        local p
        for p in "${missing[@]:-}"; do [ "$p" = "$pkg" ] && return; done
        missing+=("$pkg")
    fi
}
have() { command -v "$1"; }
libc_static() { # glibc's static libc, needed for the gcc -static builds
    [ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -e /usr/lib64/libc.a ] ||
        [ -e /usr/lib/libc.a ]
}

check_all() {
    missing=()
    need gcc            have gcc
    need libc6-dev      libc_static
    need musl-tools     have musl-gcc
    need busybox-static test -x /bin/busybox
    need python3        have python3
    need tar            have tar
    need coreutils      have sort
    need coreutils      have timeout
    need diffutils      have cmp
    need diffutils      have diff
    need make           have make
    need clang          have clang
    need binutils       have nm
    need tmux           have tmux
    need golang-go      have go
    need attr           have getfattr
    need strace         have strace
    need gdb            have gdb
    need util-linux     have setpriv
    # the Debian scenario (tests/debian.sh)
    need debootstrap    test -x /usr/sbin/debootstrap
    need openssh-server test -x /usr/sbin/sshd
    need openssh-client have ssh-keygen
    need xvfb           have Xvfb
    need x11-apps       have xwd
    need netpbm         have pamscale
    need passwd         have useradd
}

check_all
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "tests/deps.sh: missing packages: ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
    exit 1
fi

echo "tests/deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null || ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
    echo "tests/deps.sh: apt-get install of ${missing[*]} failed" >&2
    exit 1
fi
# Check again: an install that "succeeded" without providing the tool is an error.
check_all
if [ ${#missing[@]} -ne 0 ]; then
    echo "tests/deps.sh: still missing after install: ${missing[*]}" >&2
    exit 1
fi
exit 0
