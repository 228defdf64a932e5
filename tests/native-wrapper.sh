#!/bin/bash
# tests/native-wrapper.sh: a stand-in for lbw that runs the program natively.
# `LBW_NATIVE=1 tests/run.sh` uses it to validate the test suite itself: every
# differential test must pass when "lbw" is just the program. It drops the lbw
# options the tests use and execs the rest; lbw-only checks (error messages,
# --trace, --stats, --syscalls, --check, memory protection) are expected to
# fail with it.
while [ $# -gt 0 ]; do
    case $1 in
    --uname-release=* | --trace | --trace=* | --stats | --no-rewrite) shift ;;
    --) shift; break ;;
    *) break ;;
    esac
done
if [ $# -eq 0 ]; then
    echo "usage: native-wrapper.sh [LBW-OPTIONS] [--] PROGRAM [ARGS...]" >&2
    exit 2
fi
# Hand the program the environment this script was started with: bash itself
# adds PWD, SHLVL and _ to what it exports.
mapfile -d '' ENVV </proc/$$/environ
exec env -i "${ENVV[@]}" "$@"
