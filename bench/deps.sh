#!/bin/bash
# bench/deps.sh: make sure the tools the benchmark suite uses are present.
#
# As root, missing Debian packages are installed (apt-get update, then
# apt-get install -y). As any other user, one line names what is missing and
# the suite goes on with what is there: a missing peer (proot, qemu-user) is a
# column of "n/a", a missing gnuplot means no chart, a missing workload tool
# means that workload's row is "n/a". Only a missing C compiler, make or
# python3 (which builds the report) stops the suite. Exit status: 0 when
# everything is there, 1 when the suite cannot run at all, 2 when it can run
# without something.
set -u

# package:command pairs; a package is missing when its command is not found.
wanted=(
    proot:proot
    qemu-user:qemu-x86_64
    gnuplot-nox:gnuplot
    sqlite3:sqlite3
    gcc:gcc
    make:make
    git:git
    python3:python3
    tar:tar
    gzip:gzip
    findutils:find
    coreutils:timeout
)
essential=" gcc make python3 "

missing_pkgs() {
    local w pkg cmd out=()
    for w in "${wanted[@]}"; do
        pkg=${w%%:*} cmd=${w#*:}
        command -v "$cmd" >/dev/null 2>&1 || out+=("$pkg")
    done
    echo "${out[*]:-}"
}

missing=$(missing_pkgs)
if [ -n "$missing" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench/deps.sh: installing $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! { apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null; }; then
        echo "bench/deps.sh: apt-get install of $missing failed; going on without it" >&2
    fi
    missing=$(missing_pkgs)
fi

[ -z "$missing" ] && exit 0
echo "bench/deps.sh: missing: $missing (as root: apt-get install -y $missing); going on without it" >&2
for pkg in $missing; do
    case "$essential" in *" $pkg "*) exit 1 ;; esac
done
exit 2
