#!/bin/bash
# bench/run.sh [LBW]: lbw's benchmark suite (`make bench`). Not a test: it
# measures, side by side in one run, how long microbenchmarks and workloads
# take natively, under lbw (rewriting on, and --no-rewrite, and with the
# host's / as a guest root with the usual binds: `lbw -R /`, every path
# resolved by lbw, as PRoot resolves them), under `proot -r /`
# and under qemu-x86_64, and writes bench/results/: results.md (the table),
# results.csv (medians and ratios), raw.csv (every run), results.png (chart).
#
# Environment:
#   BENCH_QUICK=1     smoke run: 1 repetition, tiny sizes, short rounds
#   BENCH_REPS=N      repetitions of the workloads (default 5; 1 when quick)
#   BENCH_MICRO_REPS=N  repetitions of the microbenchmarks, each already the
#                     median of 5 rounds (default 3; 1 when quick)
#   BENCH_TIMEOUT=S   per-run time limit in seconds (default 180)
#   BENCH_TRUE_INNER=N  runs of /bin/true per mode and repetition (default 20;
#                     1 when quick): the median is over all of them
#   BENCH_BUDGET=S    no repetition is started that would, judging by the
#                     last one, end after S seconds (default 840: make bench
#                     stays under 15 minutes on a slow or busy machine); the
#                     report says when repetitions were cut
#   BENCH_MODES="..." subset of: native lbw lbw-nr lbw-r proot qemu (default all)
#   BENCH_ONLY=RE     only benchmarks whose name matches the extended regex RE
#   BENCH_OUT=DIR     where results go (default bench/results)
#
# Modes alternate within each repetition (native, lbw, lbw-nr, lbw-r, proot, qemu,
# native, ...), so slow drifts of the machine hit every mode alike. A mode
# whose run fails (non-zero exit, timeout, output different from native's) is
# reported as such and not run again for that benchmark.
#
# Every workload is a shell command run as `MODE sh -c CMD`, so that under
# lbw and proot every process of it is under the mode. qemu-user does not
# follow execve (without binfmt_misc, which on an x86-64 host would capture
# the native runs too), so in qemu mode each command in CMD is written out as
# `qemu-x86_64 PROG`, as binfmt_misc would run it, and the programs' own
# children are put under qemu where the program has a hook for it (gcc
# -wrapper, tar -I, make's CC); what is still native under qemu is listed in
# results.md.
# shellcheck disable=SC2154 # P_sh, P_find, ... are set by printf -v
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
LBW=${1:-$top/build/lbw}
case $LBW in /*) ;; *) LBW=$PWD/$LBW ;; esac

QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=
if [ -n "$QUICK" ]; then
    REPS=${BENCH_REPS:-1} MREPS=${BENCH_MICRO_REPS:-1} TRUE_INNER=${BENCH_TRUE_INNER:-1}
else
    REPS=${BENCH_REPS:-5} MREPS=${BENCH_MICRO_REPS:-3} TRUE_INNER=${BENCH_TRUE_INNER:-20}
fi
TIMEOUT=${BENCH_TIMEOUT:-180}
BUDGET=${BENCH_BUDGET:-840}
OUT=${BENCH_OUT:-$here/results}
ONLY=${BENCH_ONLY:-}
ALL_MODES="native lbw lbw-nr lbw-r proot qemu"
MODES=${BENCH_MODES:-$ALL_MODES}

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/run.sh: $*"; exit 1; }

# ---- tools -----------------------------------------------------------------
"$here/deps.sh"
[ $? -eq 1 ] && die "cannot run without a C compiler, make and python3"
PY=$(command -v python3) || die "python3 is needed for the report"
# Workload python: the system's, not a version manager's shim script.
if [ -x /usr/bin/python3 ]; then WPY=/usr/bin/python3; else WPY=$PY; fi

BUILD=$here/build
mkdir -p "$BUILD" "$OUT" || die "cannot create $BUILD or $OUT"
for prog in micro timeit; do
    if [ ! -x "$BUILD/$prog" ] || [ "$here/$prog.c" -nt "$BUILD/$prog" ]; then
        gcc -O2 -Wall -pthread -o "$BUILD/$prog" "$here/$prog.c" || die "cannot build $prog"
    fi
done
MICRO=$BUILD/micro
TIMEIT=$BUILD/timeit

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lbw-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
# Measure one lbw throughout, even if build/lbw is rebuilt during the run.
LBW_ORIG=$LBW
if [ -x "$LBW" ]; then
    cp "$LBW" "$TMP/lbw" && LBW=$TMP/lbw
fi

# Modes (their command prefixes are in run_one); unavailable ones are n/a.
declare -A AVAIL
for m in $ALL_MODES; do AVAIL[$m]=""; done
for m in $MODES; do
    case $m in
        native) AVAIL[$m]=1 ;;
        lbw | lbw-nr | lbw-r) if [ -x "$LBW" ]; then AVAIL[$m]=1; else say "bench: no lbw at $LBW: $m is n/a"; fi ;;
        proot) if command -v proot >/dev/null; then AVAIL[$m]=1; else say "bench: no proot: n/a"; fi ;;
        qemu) if command -v qemu-x86_64 >/dev/null; then AVAIL[$m]=1; else say "bench: no qemu-x86_64: n/a"; fi ;;
        *) die "unknown mode $m (modes: $ALL_MODES)" ;;
    esac
done
RUN_MODES=""
for m in $ALL_MODES; do [ -n "${AVAIL[$m]}" ] && RUN_MODES="$RUN_MODES $m"; done
[ -n "${AVAIL[native]}" ] || die "native mode is needed: ratios are to native"

# ---- sizes and generated inputs --------------------------------------------
if [ -n "$QUICK" ]; then
    FIND_DIR=/usr/include TAR_DIR=usr/include/linux GEN_LINES=200 GIT_FILES=200
    PY_ITEMS=1000 LOOP_N=20 MAKE_FILES=2 SQL_ROWS=2000
    MICRO_ROUNDS=3 MICRO_MS=5 SIZE=quick
else
    FIND_DIR=/usr TAR_DIR=usr/include GEN_LINES=2000 GIT_FILES=3000
    PY_ITEMS=10000 LOOP_N=200 MAKE_FILES=8 SQL_ROWS=100000
    MICRO_ROUNDS=5 MICRO_MS=20 SIZE=full
fi
CACHE=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/lbw-bench/$SIZE

# gen_c PREFIX LINES: a C file of about LINES lines, functions with loops and
# switches for the optimizer to chew on.
gen_c() {
    awk -v p="$1" -v lines="$2" 'BEGIN {
        nf = int(lines / 24); if (nf < 1) nf = 1
        print "/* generated by lbw bench/run.sh */"
        for (k = 0; k < nf; k++) {
            printf "static int %s_f%d(const int *a, int n)\n{\n", p, k
            printf "    int s = %d;\n", k
            print  "    for (int i = 0; i < n; i++) {"
            printf "        if (a[i] %% 3 == %d)\n", k % 3
            printf "            s += a[i] * %d;\n", k + 1
            print  "        else"
            printf "            s ^= a[i] << %d;\n", k % 7
            print  "    }"
            print  "    switch (s & 7) {"
            for (c = 0; c < 8; c++)
                printf "    case %d: s += %d; break;\n", c, (k * 31 + c * 7) % 101
            print  "    }"
            printf "    return s * %d + n;\n}\n\n", (k % 5) + 1
        }
        printf "int %s_all(const int *a, int n)\n{\n    int s = 0;\n", p
        for (k = 0; k < nf; k++)
            printf "    s += %s_f%d(a, n);\n", p, k
        print "    return s;\n}"
    }'
}

prepare_inputs() {
    local stamp=$CACHE/.ready-v1
    [ -e "$stamp" ] && return 0
    say "bench: creating inputs in $CACHE"
    rm -rf "$CACHE"
    mkdir -p "$CACHE" || die "cannot create $CACHE"
    gen_c gen "$GEN_LINES" >"$CACHE/gen.c"

    # make -j2 project: MAKE_FILES C files (main.c among them).
    local d=$CACHE/proj i objs=""
    mkdir -p "$d"
    for ((i = 1; i < MAKE_FILES; i++)); do
        gen_c "m$i" 250 >"$d/m$i.c"
        objs="$objs m$i.o"
    done
    {
        echo "/* generated by lbw bench/run.sh */"
        for ((i = 1; i < MAKE_FILES; i++)); do echo "int m${i}_all(const int *a, int n);"; done
        echo "int main(void)"
        echo "{"
        echo "    int a[64], s = 0;"
        echo "    for (int i = 0; i < 64; i++) a[i] = i * 7;"
        for ((i = 1; i < MAKE_FILES; i++)); do echo "    s += m${i}_all(a, 64);"; done
        echo "    return s == 12345;"
        echo "}"
    } >"$d/main.c"
    # shellcheck disable=SC2016 # make's $(...), not the shell's
    printf 'OBJS =%s main.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n%%.o: %%.c\n\t$(CC) -O2 -c -o $@ $<\n' \
        "$objs" >"$d/Makefile"

    # git repo of GIT_FILES files, 50 to a directory, with a few changes.
    local r=$CACHE/repo f
    mkdir -p "$r"
    for ((i = 0; i < GIT_FILES; i++)); do
        f=$r/dir$((i / 50))/file$i.txt
        [ -d "${f%/*}" ] || mkdir -p "${f%/*}"
        printf 'file %d\nline two of file %d\n' "$i" "$i" >"$f"
    done
    (
        cd "$r" && git init -q && git add -A &&
            git -c user.name=bench -c user.email=bench@localhost commit -q -m init
    ) || die "cannot create the git repo in $r"
    echo changed >>"$r/dir0/file1.txt"
    echo changed >>"$r/dir1/file60.txt"
    echo new >"$r/dir0/untracked.txt"

    cat >"$CACHE/json_rt.py" <<'PYEOF'
import json, sys
n = int(sys.argv[1])
d = {"key%d" % i: {"i": i, "s": "v" * (i % 17), "l": [i, 2 * i, 3 * i]} for i in range(n)}
s = json.dumps(d, sort_keys=True)
back = json.loads(s)
assert back == d
print(len(s), len(back))
PYEOF

    awk -v n="$SQL_ROWS" 'BEGIN {
        print "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v INTEGER);"
        print "BEGIN;"
        for (i = 1; i <= n; i++)
            printf "INSERT INTO t(name, v) VALUES(%cname%d%c, %d);\n", 39, i, 39, (i * 7919) % 1000
        print "COMMIT;"
        print "SELECT count(*), sum(v) FROM t;"
    }' >"$CACHE/insert.sql"
    touch "$stamp"
}

# ---- workloads ---------------------------------------------------------------
# name | check of stdout | prep (run natively, untimed) | command
# The check compares stdout with the native warm-up run's: 1 = identical,
# count = one number within 25% of it (/usr is a live tree: packages come and
# go during a run), 0 = not checked.
# In a command, @Q@ is "qemu-x86_64 " in qemu mode and empty otherwise, @GW@
# is gcc's "-B... -wrapper qemu-x86_64" in qemu mode, @TZ@ is tar's
# compression option (-z, or -I 'qemu-x86_64 gzip'). Workloads run as `MODE sh -c CMD`, except "true" (`MODE /bin/true`,
# lbw's start-up cost), which has no shell.
# Programs by absolute path (P_sh, P_find, ...): qemu-x86_64 does not search
# PATH.
for tool in sh find wc gcc tar gzip git make sqlite3 true as; do
    if [ -x "/bin/$tool" ]; then p=/bin/$tool; else p=$(type -P "$tool") || p=/nonexistent/$tool; fi
    printf -v "P_$tool" '%s' "$p"
done
WORKLOADS=(
    "find|count||@Q@$P_find $FIND_DIR -type f | @Q@$P_wc -l"
    "gcc_O2|1||@Q@$P_gcc -O2 @GW@ -c $CACHE/gen.c -o $CACHE/gen.o"
    "tar_czf|1||@Q@$P_tar -C / -c @TZ@ -f - $TAR_DIR > /dev/null"
    "git_status|1||@Q@$P_git -C $CACHE/repo status"
    "python3_json|1||@Q@$WPY $CACHE/json_rt.py $PY_ITEMS"
    "sh_loop_true|1||i=0; while [ \$i -lt $LOOP_N ]; do @Q@$P_true; i=\$((i+1)); done"
    "make_j2|1||@Q@$P_make -s -B -j2 -C $CACHE/proj 'CC=@Q@$P_gcc @GW@'"
    "sqlite3_insert|1|rm -f $CACHE/db.sqlite|@Q@$P_sqlite3 $CACHE/db.sqlite < $CACHE/insert.sql"
    "true|1||$P_true"
)
declare -A WDESC=(
    [find]="find $FIND_DIR -type f | wc -l"
    [gcc_O2]="gcc -O2 -c of a generated $GEN_LINES-line C file"
    [tar_czf]="tar czf - /$TAR_DIR > /dev/null"
    [git_status]="git status, repo of $GIT_FILES files"
    [python3_json]="python3 startup + json round trip of $PY_ITEMS items"
    [sh_loop_true]="sh loop of $LOOP_N fork+exec of /bin/true"
    [make_j2]="make -j2 of $MAKE_FILES C files"
    [sqlite3_insert]="sqlite3: $SQL_ROWS inserts in one transaction"
    [true]="/bin/true alone (start-up)"
)

expand_cmd() { # expand_cmd MODE TEMPLATE
    local c=$2
    if [ "$1" = qemu ]; then
        # gcc -wrapper runs `as` by its bare name, which qemu cannot find:
        # -B makes gcc name it by its path.
        local gw="-B${P_as%/*}/ -wrapper qemu-x86_64" tz="-I 'qemu-x86_64 $P_gzip'"
        c=${c//@Q@/qemu-x86_64 }
        c=${c//@GW@/$gw}
        c=${c//@TZ@/$tz}
    else
        c=${c//@Q@/}
        c=${c//@GW@/}
        c=${c//@TZ@/-z}
    fi
    while [[ $c == *"  "* ]]; do c=${c//  / }; done
    printf '%s' "$c"
}

selected() { [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; }

# ---- running -----------------------------------------------------------------
LOGS=$OUT/logs
rm -rf "$LOGS" && mkdir -p "$LOGS"
RAW=$OUT/raw.csv
echo "kind,benchmark,mode,rep,value_ns,status,maxrss_kib" >"$RAW"
declare -A FAILED # "bench mode" -> first failure, for runs not to repeat

# run_one KIND BENCH MODE REP ARGV... : time one run, append to raw.csv, and
# leave a short result for the progress line in RESULT.
run_one() {
    local kind=$1 bench=$2 mode=$3 rep=$4
    shift 4
    local key="$bench $mode" res=$TMP/res out=$TMP/out err=$TMP/err
    if [ -n "${FAILED[$key]:-}" ]; then
        echo "$kind,$bench,$mode,$rep,,skip,0" >>"$RAW"
        RESULT=skip
        return
    fi
    rm -f "$res"
    local -a pre=()
    case $mode in
        lbw) pre=("$LBW") ;;
        lbw-nr) pre=("$LBW" --no-rewrite) ;;
        lbw-r) pre=("$LBW" -R /) ;;
        proot) pre=(proot -r /) ;;
        qemu) pre=(qemu-x86_64) ;;
    esac
    "$TIMEIT" "$TIMEOUT" "$res" "${pre[@]}" "$@" <"$TMP/stdin" >"$out" 2>"$err"
    local ns=0 status=nores rss=0 value=""
    [ -s "$res" ] && read -r ns status rss <"$res"
    if [ "$status" = 0 ]; then
        if [ "$kind" = micro ]; then
            value=$(awk -v b="$bench" '$1 == b && $2 ~ /^[0-9.]+$/ { print $2 }' "$out")
            [ -n "$value" ] || status=nooutput
        else
            value=$ns
            case ${CHECK:-} in
                1) cmp -s "$out" "$TMP/ref.$bench" || status=wrong ;;
                count) # one number, within 25% of the warm-up run's
                    awk 'NR == FNR { ref = $1; next }
                         { n++; v = $1 }
                         END { exit !(n == 1 && v ~ /^[0-9]+$/ && v >= 0.75 * ref && v <= 1.25 * ref) }' \
                        "$TMP/ref.$bench" "$out" || status=wrong ;;
            esac
        fi
    fi
    grep -a '^lbw' "$err" | sed "s|^|$bench,$mode: |" >>"$TMP/lbw-messages"
    if [ "$status" != 0 ]; then
        FAILED[$key]="$status"
        local log=$LOGS/$bench.$mode.rep$rep
        {
            echo "command: ${pre[*]} $*"
            [ "$LBW" != "$LBW_ORIG" ] && echo "($LBW is a copy of $LBW_ORIG, taken at the start)"
            echo "status: $status (wall ${ns} ns)"
            echo "--- stdout (first 40 lines)"
            head -n 40 "$out"
            if [ "$status" = wrong ]; then
                echo "--- native stdout (first 40 lines)"
                head -n 40 "$TMP/ref.$bench"
            fi
            echo "--- stderr (first 80 lines)"
            head -n 80 "$err"
        } >"$log"
        value=""
    fi
    echo "$kind,$bench,$mode,$rep,$value,$status,$rss" >>"$RAW"
    if [ "$status" = 0 ]; then
        if [ "$kind" = micro ]; then RESULT=$value; else RESULT=$(awk -v n="$ns" 'BEGIN { printf "%.3fs", n / 1e9 }'); fi
    else
        RESULT=$status
    fi
}

: >"$TMP/stdin"
: >"$TMP/lbw-messages"
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

MICROS=$("$MICRO" list) || die "micro does not run"
say "bench: $SIZE run, $MREPS+$REPS repetition(s), modes:$RUN_MODES; lbw: $LBW_ORIG"

# budget_allows REP LAST_REP_SECONDS: may repetition REP (> 1) start?
CUT=""
budget_allows() {
    local now=$(($(date +%s) - START))
    [ "$1" -le 1 ] && return 0
    if [ $((now + $2)) -gt "$BUDGET" ]; then
        CUT="$CUT $3:$(($1 - 1))"
        say "bench: stopping $3 after $(($1 - 1)) repetition(s): the next would end after BENCH_BUDGET=${BUDGET}s"
        return 1
    fi
}

last=0
for ((rep = 1; rep <= MREPS; rep++)); do
    t0=$(date +%s)
    budget_allows "$rep" "$last" micro || break
    while read -r name floor; do
        selected "$name" || continue
        line="micro rep $rep/$MREPS $name:"
        for mode in $RUN_MODES; do
            # The SUD floors arm Syscall User Dispatch themselves: native only.
            [ -n "$floor" ] && [ "$mode" != native ] && continue
            run_one micro "$name" "$mode" "$rep" "$MICRO" "$name" "$MICRO_ROUNDS" "$MICRO_MS"
            line="$line $mode=$RESULT"
        done
        say "$line"
    done <<<"$MICROS"
    last=$(($(date +%s) - t0))
done

prepare_inputs
# A native warm-up run of each workload (untimed): fills the page cache, lets
# git refresh its index and python write its bytecode, and gives the native
# output the other modes are checked against.
for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name check prep tmpl <<<"$w"
    selected "$name" || continue
    [ -n "$prep" ] && sh -c "$prep"
    if [ "$name" = true ]; then
        "$P_true" >"$TMP/ref.$name" 2>/dev/null
    else
        "$P_sh" -c "$(expand_cmd native "$tmpl")" <"$TMP/stdin" >"$TMP/ref.$name" 2>"$TMP/err" ||
            say "bench: warning: $name fails natively: $(head -n 3 "$TMP/err")"
    fi
done

last=0
for ((rep = 1; rep <= REPS; rep++)); do
    t0=$(date +%s)
    budget_allows "$rep" "$last" workloads || break
    for w in "${WORKLOADS[@]}"; do
        IFS='|' read -r name check prep tmpl <<<"$w"
        selected "$name" || continue
        CHECK=$check
        line="workload rep $rep/$REPS $name:"
        # /bin/true lasts ~4 ms, less than this VM's jitter: each repetition
        # times it TRUE_INNER times per mode (alternating), and the median
        # is taken over all of them.
        if [ "$name" = true ]; then
            for ((k = 1; k < TRUE_INNER; k++)); do
                for mode in $RUN_MODES; do
                    run_one workload "$name" "$mode" "$rep" "$P_true"
                done
            done
        fi
        for mode in $RUN_MODES; do
            [ -n "$prep" ] && sh -c "$prep"
            if [ "$name" = true ]; then
                run_one workload "$name" "$mode" "$rep" "$P_true"
            else
                run_one workload "$name" "$mode" "$rep" "$P_sh" -c "$(expand_cmd "$mode" "$tmpl")"
            fi
            line="$line $mode=$RESULT"
        done
        say "$line"
    done
    last=$(($(date +%s) - t0))
done
ELAPSED=$(($(date +%s) - START))

# ---- report -------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "kernel=$(uname -r)"
    echo "cpu=${cpu:-unknown}"
    echo "nproc=$(nproc)"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "size=$SIZE"
    echo "reps=$REPS"
    echo "micro_reps=$MREPS"
    echo "cut=$CUT"
    echo "budget_s=$BUDGET"
    echo "elapsed_s=$ELAPSED"
    echo "load=${LOAD_START:-?} at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the end"
    echo "modes=$RUN_MODES"
    echo "lbw=$LBW_ORIG"
    echo "lbw_version=$("$LBW" --version 2>/dev/null | head -n 1)"
    echo "lbw_commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null)$(git -C "$top" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty src')"
    echo "proot_version=$(proot --version 2>/dev/null | grep -aom1 '[0-9][0-9]*\.[0-9][0-9.]*')"
    echo "proot_accel=$(proot --version 2>/dev/null | grep -a 'accelerators' | sed 's/^ *//')"
    echo "qemu_version=$(qemu-x86_64 --version 2>/dev/null | head -n 1)"
    echo "micro_rounds=$MICRO_ROUNDS"
    echo "micro_ms=$MICRO_MS"
    echo "timeout_s=$TIMEOUT"
    for w in "${WORKLOADS[@]}"; do
        IFS='|' read -r name check prep tmpl <<<"$w"
        echo "wdesc.$name=${WDESC[$name]}"
        if [ "$name" = true ]; then
            echo "wcmd.$name=$P_true"
        else
            echo "wcmd.$name=$(expand_cmd native "$tmpl")"
            echo "wqemu.$name=$(expand_cmd qemu "$tmpl")"
        fi
    done
} >"$TMP/meta"
cp "$TMP/lbw-messages" "$LOGS/lbw-messages.txt"
cp "$TMP/meta" "$LOGS/meta.txt" # to redraw: bench/report.py raw.csv logs/meta.txt logs/lbw-messages.txt DIR
"$PY" "$here/report.py" "$RAW" "$TMP/meta" "$LOGS/lbw-messages.txt" "$OUT" || die "report failed"
say "bench: done in ${ELAPSED}s: $OUT/results.md"
