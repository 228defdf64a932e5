# tests/lib.sh: helpers for tests/programs/*.sh (sourced, not run).
#
# The runner exports LBW (the lbw command with its flags, split on spaces),
# TESTS_TMP (a scratch directory for this script), GUEST_BUILD, TESTS_DIR.
# A script can also be run by hand:
#   LBW=build/lbw bash tests/programs/cat.sh
#
#   same LABEL CMD...        run CMD natively and as `$LBW CMD...`; compare
#                            stdout, stderr and exit status
#   same_sh LABEL CODE       run `bash -c CODE` twice, with $L empty and then
#                            with L="$LBW": CODE puts $L (unquoted) in front
#                            of each command that should run under lbw
#   STDIN=FILE               stdin for both runs of same/same_sh (default
#                            /dev/null)
#   lbw_run CMD...           run `$LBW CMD...` into $OUT $ERR $RC
#   stats_run LABEL BIN FLAG...  run BIN under lbw (its own flags, not the
#                            runner's) with --stats into $T/stats; check it
#                            exits 0 with BIN's native output
#   stats_row CALL FILE      the trap and fast counts of CALL in a --stats table
#   guest_bin VARIANT NAME   BIN, tests/guest/NAME.c built for VARIANT (glibc,
#                            static, musl); checks it is built, false if not
#   aslr_on                  true unless the personality turns address
#                            randomization off (setarch -R)
#   mode_flags MODE ROOTOPT...  MODE_FLAGS, the lbw options of a fast-path
#                            check's mode: fast (none), root (ROOTOPT...),
#                            trap (--no-rewrite)
#   check LABEL CONDITION... evaluate a test(1)-style condition, record result
#   count REGEX FILE...      number of lines matching REGEX (0 if no file)
#   finish                   exit 0 when everything matched
set -u
: "${LBW:?set LBW to the lbw command, e.g. LBW=build/lbw}"
read -ra LBWCMD <<<"$LBW"
if [ -z "${TESTS_TMP:-}" ]; then
    TESTS_TMP=$(mktemp -d -t lbw-prog.XXXXXX)
    trap 'rm -rf "$TESTS_TMP"' EXIT
fi
T=$TESTS_TMP
TEST_TIMEOUT=${TEST_TIMEOUT:-60}
STDIN=/dev/null
ulimit -c 0
_fails=0
_n=0

# the python3 of the system (a pyenv or venv shim would run a shell script)
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3); fi

_compare() { # _compare LABEL NATIVE-PREFIX LBW-PREFIX
    local label=$1 a=$2 b=$3 bad=0
    if [ "$(cat "$a.rc")" != "$(cat "$b.rc")" ]; then
        bad=1
    fi
    cmp -s "$a.out" "$b.out" || bad=1
    cmp -s "$a.err" "$b.err" || bad=1
    if [ $bad = 0 ]; then
        echo "ok: $label"
        return 0
    fi
    echo "MISMATCH: $label"
    echo "  exit status: native $(cat "$a.rc"), lbw $(cat "$b.rc")"
    if ! cmp -s "$a.out" "$b.out"; then
        echo "  stdout (- native, + lbw):"
        diff -u "$a.out" "$b.out" | tail -n +3 | head -n 15 | sed 's/^/  /'
    fi
    if ! cmp -s "$a.err" "$b.err"; then
        echo "  stderr (- native, + lbw):"
        diff -u "$a.err" "$b.err" | tail -n +3 | head -n 15 | sed 's/^/  /'
    fi
    _fails=$((_fails + 1))
    return 1
}

same() {
    local label=$1
    shift
    _n=$((_n + 1))
    local a=$T/same.$_n.native b=$T/same.$_n.lbw
    timeout -k 5 "$TEST_TIMEOUT" "$@" >"$a.out" 2>"$a.err" <"$STDIN"
    echo $? >"$a.rc"
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" "$@" >"$b.out" 2>"$b.err" <"$STDIN"
    echo $? >"$b.rc"
    _compare "$label" "$a" "$b"
}

same_sh() {
    local label=$1 code=$2
    _n=$((_n + 1))
    local a=$T/same.$_n.native b=$T/same.$_n.lbw
    L="" timeout -k 5 "$TEST_TIMEOUT" bash -c "$code" >"$a.out" 2>"$a.err" <"$STDIN"
    echo $? >"$a.rc"
    L="$LBW" timeout -k 5 "$TEST_TIMEOUT" bash -c "$code" >"$b.out" 2>"$b.err" <"$STDIN"
    echo $? >"$b.rc"
    _compare "$label" "$a" "$b"
}

# same, retried once on mismatch: for outputs that the rest of the machine
# may change between the two runs (directory times in `ls -l /`)
same_retry() {
    local saved=$_fails
    same "$@" >/dev/null && { echo "ok: $1"; return 0; }
    _fails=$saved
    same "$@"
}

lbw_run() {
    _n=$((_n + 1))
    OUT=$T/run.$_n.out
    ERR=$T/run.$_n.err
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" "$@" >"$OUT" 2>"$ERR" <"$STDIN"
    RC=$?
}

# count PATTERN FILE...: lines matching an extended regex (0 if no file)
count() {
    local n
    n=$(cat "${@:2}" 2>/dev/null | grep -cE -- "$1")
    echo "${n:-0}"
}

# stats_run LABEL BIN FLAG...: BIN under `lbw FLAG... --stats` (the lbw
# binary of $LBW, without the runner's flags), the table in $T/stats;
# checks exit 0 and the output BIN gave natively (run once per BIN)
stats_run() {
    local label=$1 bin=$2 rc
    shift 2
    if [ "${_native_of:-}" != "$bin" ]; then
        "$bin" >"$T/native" 2>&1
        _native_of=$bin
    fi
    timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[0]}" "$@" --stats "$bin" >"$T/out" 2>"$T/stats"
    rc=$?
    check "$label: exit 0 (got $rc)" "$rc" = 0
    check "$label: the same output as natively ($(tr '\n' '|' <"$T/out"))" "$(cat "$T/out")" = "$(cat "$T/native")"
}

# guest_bin VARIANT NAME: BIN, and a check that it is built
guest_bin() {
    BIN=$GUEST_BUILD/$1/$2
    check "the $1 $2 guest is built" -x "$BIN"
    [ -x "$BIN" ]
}

# aslr_on: no ADDR_NO_RANDOMIZE (0x0040000) in this process's personality
aslr_on() {
    local p
    p=$(cat /proc/self/personality 2>/dev/null) || return 0
    [ $((0x$p & 0x0040000)) = 0 ]
}

# mode_flags MODE ROOTOPT...: MODE_FLAGS for fast, root or trap
mode_flags() {
    local mode=$1
    shift
    MODE_FLAGS=()
    if [ "$mode" = root ]; then
        MODE_FLAGS=("$@")
    elif [ "$mode" = trap ]; then
        MODE_FLAGS=(--no-rewrite)
    fi
}

# stats_row CALL FILE: the trap and fast counts in lbw --stats' row for
# CALL (columns: % time, seconds, usecs/call, calls, errors (may be empty),
# trap, fast, syscall); nothing when CALL has no row
stats_row() {
    awk -v c="$1" '$NF == c { print $(NF-2), $(NF-1) }' "$2"
}

check() {
    local label=$1
    shift
    if test "$@"; then
        echo "ok: $label"
    else
        echo "FAIL: $label"
        _fails=$((_fails + 1))
    fi
}

# lbw_error LABEL WANT-RC CMD...: lbw refuses CMD with exit WANT-RC (a regex
# such as 126 or 126|127), exactly one line on stderr starting with "lbw:",
# nothing on stdout
lbw_error() {
    local label=$1 want=$2
    shift 2
    lbw_run "$@"
    local lines
    lines=$(wc -l <"$ERR")
    if [[ $RC =~ ^($want)$ ]] && [ "$lines" = 1 ] && head -n 1 "$ERR" | grep -q '^lbw:' && [ ! -s "$OUT" ]; then
        echo "ok: $label (exit $RC: $(cat "$ERR"))"
        return 0
    fi
    echo "FAIL: $label"
    echo "  want exit $want and one stderr line starting 'lbw:', empty stdout"
    echo "  got exit $RC, $lines stderr line(s), $(wc -c <"$OUT") stdout byte(s)"
    head -n 5 "$ERR" | sed 's/^/  stderr: /'
    _fails=$((_fails + 1))
    return 1
}

finish() {
    if [ "$_fails" -eq 0 ]; then
        echo "all ok"
        exit 0
    fi
    echo "$_fails check(s) failed"
    exit 1
}
