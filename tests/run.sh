#!/bin/bash
# tests/run.sh: lbw's test suite.
#
#   tests/run.sh [LBW_BINARY]        (default: build/lbw)
#
# Environment:
#   LBW_FLAGS     extra lbw options for every run under lbw (e.g. --no-rewrite)
#   TESTS_FILTER  run only the tests whose name contains this substring
#                 (names look like guest/hello/musl, programs/tar)
#   RUN_TIMEOUT, SCRIPT_TIMEOUT, SUITE_BUDGET   limits in seconds (60, 240, 540):
#                 a hanging lbw cannot make the suite run for hours
#   LBW_NATIVE=1  validate the suite itself: "lbw" is tests/native-wrapper.sh,
#                 which runs programs natively. Every differential test must
#                 pass; the lbw-only tests (guest/lbw_uname_raw,
#                 guest/lbw_memprotect, programs/err_*, programs/opt_*) fail.
#
# What runs:
#   1. tests/guest/*.c built three ways into build/tests/{glibc,static,musl}/
#      (gcc -O2; gcc -O2 -static; musl-gcc -O2 -static), rebuilt when stale.
#   2. Each differential guest (every guest not named lbw_*, plus lbw_* files
#      marked "lbw-test: differential") runs natively and under lbw; stdout,
#      stderr and exit status must match.
#   3. lbw-only guests, judged by their own rules (see check_lbw_guest).
#   4. tests/programs/*.sh, each a script that exits 0 on success.
# One line per test, PASS or FAIL (with the first lines of a diff), then
# exactly one line "N passed, N failed". Exit 0 only when nothing failed.
set -u

START_DIR=$(pwd)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTS=$ROOT/tests
BUILD=$ROOT/build/tests
RUN_TIMEOUT=${RUN_TIMEOUT:-60}       # seconds for one run of a program
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-240} # seconds for one tests/programs script
SUITE_BUDGET=${SUITE_BUDGET:-540}     # after this many seconds, remaining tests fail unrun
FILTER=${TESTS_FILTER:-}

if [ "${LBW_NATIVE:-0}" = 1 ]; then
    LBW_BIN=$TESTS/native-wrapper.sh
else
    LBW_BIN=${1:-build/lbw}
    case $LBW_BIN in
    /*) ;;
    *) if [ -e "$START_DIR/$LBW_BIN" ]; then LBW_BIN=$START_DIR/$LBW_BIN; else LBW_BIN=$ROOT/$LBW_BIN; fi ;;
    esac
fi
cd "$ROOT" || exit 1

if [ ! -x "$LBW_BIN" ] || [ -d "$LBW_BIN" ]; then
    echo "tests/run.sh: no lbw binary at $LBW_BIN (build it with make, or pass its path)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
if ! "$TESTS/deps.sh"; then
    echo "tests/run.sh: missing tools, see above" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

read -ra LBW_FLAGS_A <<<"${LBW_FLAGS:-}"
LBW_CMD=("$LBW_BIN" "${LBW_FLAGS_A[@]}")
LBW_REAL=$(readlink -f "$LBW_BIN")

TMP=$(mktemp -d -t lbw-tests.XXXXXX) || exit 1
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$TMP/cwd" "$TMP/gtmp"
ulimit -c 0 # no core files from the guests that die of signals on purpose

PASS=0
FAIL=0
FAILED_NAMES=()
selected() { [ -z "$FILTER" ] || [[ $1 == *"$FILTER"* ]]; }
# over_budget NAME: the suite ran out of time; NAME fails without running
over_budget() {
    [ "$SECONDS" -lt "$SUITE_BUDGET" ] && return 1
    echo "not run: the suite's time budget of ${SUITE_BUDGET}s is used up" >"$TMP/budget.msg"
    fail "$1" "$TMP/budget.msg"
    return 0
}
pass() {
    echo "PASS $1"
    PASS=$((PASS + 1))
}
fail() { # fail NAME [DETAIL-FILE]
    echo "FAIL $1"
    if [ -n "${2:-}" ] && [ -s "$2" ]; then
        head -n 20 "$2" | sed 's/^/    /'
    fi
    FAIL=$((FAIL + 1))
    FAILED_NAMES+=("$1")
}

# ---------------------------------------------------------------- build
VARIANTS=(glibc static musl)
compile() { # compile VARIANT SRC OUT
    local v=$1 src=$2 out=$3 cc flags
    case $v in
    glibc) cc=gcc flags="-O2" ;;
    static) cc=gcc flags="-O2 -static" ;;
    musl) cc=musl-gcc flags="-O2 -static" ;;
    esac
    # shellcheck disable=SC2086
    $cc $flags -Wall -Wextra -o "$out.tmp.$$" "$src" >"$out.log" 2>&1 && mv -f "$out.tmp.$$" "$out"
}

GUESTS=()
for src in "$TESTS"/guest/*.c; do
    GUESTS+=("$(basename "$src" .c)")
done
for v in "${VARIANTS[@]}"; do mkdir -p "$BUILD/$v"; done

build_start=$(date +%s)
jobs_max=$(nproc 2>/dev/null || echo 2)
running=0
for g in "${GUESTS[@]}"; do
    for v in "${VARIANTS[@]}"; do
        out=$BUILD/$v/$g
        src=$TESTS/guest/$g.c
        if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$TESTS/run.sh" ]; then
            continue
        fi
        rm -f "$out"
        compile "$v" "$src" "$out" &
        running=$((running + 1))
        if [ "$running" -ge "$jobs_max" ]; then
            wait -n
            running=$((running - 1))
        fi
    done
done
wait
build_secs=$(($(date +%s) - build_start))

built() { # built VARIANT GUEST: the binary exists, or its build failure is reported
    local out=$BUILD/$1/$2
    [ -x "$out" ] && return 0
    fail "build/$1/$2" "$out.log"
    return 1
}

# ---------------------------------------------------------------- guests
is_differential() { # every guest but lbw_*, unless it says otherwise
    case $1 in
    lbw_*) grep -q 'lbw-test: differential' "$TESTS/guest/$1.c" ;;
    *) return 0 ;;
    esac
}

guest_args() { # the arguments each guest is run with
    GARGS=()
    case $1 in
    args) GARGS=(one "two words" "" "tab	and ünïcode" --dash) ;;
    procself | procextra) GARGS=(alpha "beta gamma" "") ;;
    lbw_memprotect) GARGS=("$LBW_REAL") ;;
    esac
}

run_capture() { # run_capture PREFIX CMD...: PREFIX.out PREFIX.err PREFIX.rc
    local p=$1
    shift
    (cd "$TMP/cwd" && TMPDIR=$TMP/gtmp LBWT_A=1 LBWT_B="x y" timeout -k 5 "$RUN_TIMEOUT" "$@" \
        >"$p.out" 2>"$p.err" </dev/null)
    echo $? >"$p.rc"
}

# compare_runs A B DETAIL [NAME-A NAME-B]: the two runs' stdout, stderr and
# status; the differences go into DETAIL
compare_runs() {
    local a=$1 b=$2 d=$3 na=${4:-native} nb=${5:-lbw} ok=0 ra rb
    ra=$(cat "$a.rc")
    rb=$(cat "$b.rc")
    : >"$d"
    if [ "$ra" != "$rb" ]; then
        echo "exit status: $na $ra, $nb $rb$([ "$rb" = 124 ] && echo ' (timed out)')" >>"$d"
        ok=1
    fi
    if ! cmp -s "$a.out" "$b.out"; then
        echo "stdout differs (- $na, + $nb):" >>"$d"
        diff -u "$a.out" "$b.out" | tail -n +3 >>"$d"
        ok=1
    fi
    if ! cmp -s "$a.err" "$b.err"; then
        echo "stderr differs (- $na, + $nb):" >>"$d"
        diff -u "$a.err" "$b.err" | tail -n +3 >>"$d"
        ok=1
    fi
    return $ok
}

# Rules for the lbw-only guests, given the run under lbw.
check_lbw_guest() { # check_lbw_guest GUEST PREFIX DETAIL
    local g=$1 p=$2 d=$3 rc
    rc=$(cat "$p.rc")
    : >"$d"
    case $g in
    lbw_uname_raw)
        # six release lines (first process, forked child, after execve), all equal
        local n distinct
        n=$(grep -c 'release: ' "$p.out")
        distinct=$(sed -n 's/.*release: //p' "$p.out" | sort -u | wc -l)
        if [ "$rc" = 0 ] && [ "$n" = 6 ] && [ "$distinct" = 1 ]; then return 0; fi
        echo "want exit 0 and 6 equal release lines; got exit $rc, $n lines, $distinct distinct" >>"$d"
        ;;
    lbw_memprotect)
        if [ "$rc" = 0 ] && grep -qx alive "$p.out" && ! grep -q ALLOWED "$p.out"; then return 0; fi
        echo "want exit 0, every attempt refused, and 'alive'; got exit $rc$([ "$rc" = 2 ] && echo ' (no lbw mapping found)')" >>"$d"
        ;;
    *)
        echo "no rule for lbw-only guest $g" >>"$d"
        ;;
    esac
    { cat "$p.out"; cat "$p.err"; } >>"$d"
    return 1
}

for g in "${GUESTS[@]}"; do
    guest_args "$g"
    for v in "${VARIANTS[@]}"; do
        name=guest/$g/$v
        selected "$name" || continue
        built "$v" "$g" || continue
        over_budget "$name" && continue
        bin=$BUILD/$v/$g
        p=$TMP/$g.$v
        run_capture "$p.lbw" "${LBW_CMD[@]}" "$bin" "${GARGS[@]}"
        if is_differential "$g"; then
            run_capture "$p.native" "$bin" "${GARGS[@]}"
            if compare_runs "$p.native" "$p.lbw" "$p.diff"; then pass "$name"; else fail "$name" "$p.diff"; fi
        else
            if check_lbw_guest "$g" "$p.lbw" "$p.diff"; then pass "$name"; else fail "$name" "$p.diff"; fi
        fi
    done
    # In native mode, also prove the three builds behave the same (a guest
    # that printed a libc difference would be a bug in the guest).
    if [ "${LBW_NATIVE:-0}" = 1 ] && is_differential "$g" && selected "guest/$g/variants-agree" &&
        [ -e "$TMP/$g.glibc.native.rc" ] && [ -e "$TMP/$g.static.native.rc" ] && [ -e "$TMP/$g.musl.native.rc" ]; then
        # the exit status and output must agree; argv[0] (the path) differs, so
        # compare with the variant directory names masked
        for v in "${VARIANTS[@]}"; do
            for s in out err; do
                sed "s#$BUILD/$v/#BUILD/V/#g" "$TMP/$g.$v.native.$s" >"$TMP/$g.$v.masked.$s"
            done
            cp "$TMP/$g.$v.native.rc" "$TMP/$g.$v.masked.rc"
        done
        agree=0
        compare_runs "$TMP/$g.glibc.masked" "$TMP/$g.static.masked" "$TMP/$g.v1.diff" glibc static || agree=1
        compare_runs "$TMP/$g.glibc.masked" "$TMP/$g.musl.masked" "$TMP/$g.v2.diff" glibc musl || agree=1
        if [ $agree = 0 ]; then
            pass "guest/$g/variants-agree"
        else
            cat "$TMP/$g.v2.diff" >>"$TMP/$g.v1.diff"
            fail "guest/$g/variants-agree" "$TMP/$g.v1.diff"
        fi
    fi
done

# ---------------------------------------------------------------- programs
export LBW="${LBW_CMD[*]}" LBW_BIN LBW_REAL GUEST_BUILD=$BUILD TESTS_DIR=$TESTS
for script in "$TESTS"/programs/*.sh; do
    [ -e "$script" ] || continue
    s=$(basename "$script" .sh)
    name=programs/$s
    selected "$name" || continue
    over_budget "$name" && continue
    mkdir -p "$TMP/p-$s"
    (cd "$TMP/p-$s" && TESTS_TMP=$TMP/p-$s timeout -k 5 "$SCRIPT_TIMEOUT" bash "$script" \
        >"$TMP/p-$s.log" 2>&1 </dev/null)
    rc=$?
    if [ "$rc" = 0 ]; then
        pass "$name"
    else
        [ "$rc" = 124 ] && echo "(script timed out after ${SCRIPT_TIMEOUT}s)" >>"$TMP/p-$s.log"
        # show the failures first: the lines after the first problem
        grep -n -A 30 -m 1 -E '^(MISMATCH|FAIL|WRONG)' "$TMP/p-$s.log" | sed 's/^[0-9]*[:-]//' >"$TMP/p-$s.detail"
        [ -s "$TMP/p-$s.detail" ] || cp "$TMP/p-$s.log" "$TMP/p-$s.detail"
        fail "$name" "$TMP/p-$s.detail"
    fi
done

if [ $((PASS + FAIL)) -eq 0 ]; then
    echo "tests/run.sh: no test matched TESTS_FILTER='$FILTER'" >&2
fi
if [ "$FAIL" -gt 0 ]; then
    echo "failed: ${FAILED_NAMES[*]}" >&2
fi
echo "(built guests in ${build_secs}s; total $SECONDS s)" >&2
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
