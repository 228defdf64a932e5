# Calls lbw serves itself take the fast path too once their site is
# rewritten: in a guest root the path calls enter lbw's dispatcher from
# the site's stub, without a trap. tests/guest/sigpath.c (signals sent
# during such calls, a blocking open cut short) gives the same output as
# natively, and --stats shows its stat and open calls came the fast way;
# with --no-rewrite every call traps and the output is the same.
. "$TESTS_DIR/lib.sh"
LBW0=${LBWCMD[0]}
for v in glibc static musl; do
    bin=$GUEST_BUILD/$v/sigpath
    check "the $v sigpath guest is built" -x "$bin"
    [ -x "$bin" ] || continue
    "$bin" >"$T/native.$v" 2>&1
    for mode in fast trap; do
        flags=(-r /)
        [ $mode = trap ] && flags+=(--no-rewrite)
        timeout -k 5 "$TEST_TIMEOUT" "$LBW0" "${flags[@]}" --stats "$bin" >"$T/out" 2>"$T/stats"
        rc=$?
        check "$v, $mode: exit 0 (got $rc)" "$rc" = 0
        check "$v, $mode: the same output as natively ($(tr '\n' '|' <"$T/out"))" \
            "$(cat "$T/out")" = "$(cat "$T/native.$v")"
        read -r open_trap open_fast <<<"$(stats_row openat "$T/stats")"
        read -r stat_trap stat_fast <<<"$(stats_row newfstatat "$T/stats")"
        if [ $mode = fast ]; then
            check "$v: openat on the fast path (trap ${open_trap:-?}, fast ${open_fast:-?})" "${open_fast:-0}" -ge 100
            check "$v: newfstatat on the fast path (trap ${stat_trap:-?}, fast ${stat_fast:-?})" "${stat_fast:-0}" -ge 100
        else
            check "$v: nothing fast with --no-rewrite (${open_fast:-?} ${stat_fast:-?})" "${open_fast:-0}${stat_fast:-0}" = 00
        fi
    done
done
finish
