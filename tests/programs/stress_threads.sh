# A multi-threaded stress program (stress_threads.c beside this script): 16
# threads contending on mutexes and condition variables for 2 seconds, with
# a fork from the threaded process every round. Built three ways (glibc,
# glibc static, musl static); each build runs once natively, then the three
# run 20 times in all under lbw. Every run must finish within its timeout
# (no hang) and print what the native run printed; the stderr line (the
# number of rounds) is not compared. A run gets 20 s (it needs about 2);
# after two hangs the remaining runs are skipped, so that a hanging lbw does
# not eat the suite's time.
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
src=$TESTS_DIR/programs/stress_threads.c
gcc -O2 -pthread -o st.glibc "$src" 2>build.err &&
    gcc -O2 -static -pthread -o st.static "$src" 2>>build.err &&
    musl-gcc -O2 -static -o st.musl "$src" 2>>build.err
check "stress_threads.c builds three ways ($(head -c 300 build.err))" -x st.musl
for v in glibc static musl; do
    timeout -k 5 30 "./st.$v" >"native.$v.out" 2>/dev/null
    echo $? >"native.$v.rc"
    check "native $v run: exit 0 and every round the same" "$(cat "native.$v.rc") $(grep -c 'the same: yes' "native.$v.out")" = "0 1"
done
bad=0
hangs=0
variants=(glibc static musl)
for i in $(seq 1 20); do
    if [ "$hangs" -ge 2 ]; then
        echo "FAIL: runs $i..20 skipped after two hangs"
        bad=$((bad + 21 - i))
        break
    fi
    v=${variants[$((i % 3))]}
    start=$SECONDS
    timeout -k 5 20 "${LBWCMD[@]}" "./st.$v" >"lbw.$i.out" 2>"lbw.$i.err"
    rc=$?
    [ "$rc" = 124 ] && hangs=$((hangs + 1))
    if [ "$rc" != "$(cat "native.$v.rc")" ] || ! cmp -s "lbw.$i.out" "native.$v.out"; then
        echo "FAIL: run $i ($v) under lbw: exit $rc$([ "$rc" = 124 ] && echo ' (timed out: a hang)'), $((SECONDS - start)) s"
        diff "native.$v.out" "lbw.$i.out" | head -5 | sed 's/^/  /'
        head -3 "lbw.$i.err" | sed 's/^/  stderr: /'
        bad=$((bad + 1))
    fi
done
check "20 runs under lbw, all finished and all right ($bad bad)" "$bad" = 0
finish
