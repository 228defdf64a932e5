# Calls lbw serves itself take the fast path too once their site is
# rewritten: in a guest root the path calls enter lbw's dispatcher from
# the site's stub, without a trap. tests/guest/sigpath.c (signals sent
# during such calls, a blocking open cut short) gives the same output as
# natively, and --stats shows its stat and open calls came the fast way;
# with --no-rewrite every call traps and the output is the same.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v sigpath || continue
    bin=$BIN
    for mode in fast trap; do
        flags=(-r /)
        [ $mode = trap ] && flags+=(--no-rewrite)
        stats_run "$v, $mode" "$bin" "${flags[@]}"
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
