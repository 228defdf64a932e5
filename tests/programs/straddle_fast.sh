# lbw-only: syscall sites whose five bytes cross a 16-byte boundary are
# rewritten while another thread runs them, when enough of the bytes lie
# before the boundary (tests/guest/straddle.c): with four before, the stub
# must lie within 16 MiB after the site, which it can: sched_yield comes
# the fast way, 1500 of the main thread's 2000 calls at least; none with
# --no-rewrite. (With three before, getpgrp's, the stub must lie within
# 64 KiB, where a large static program still has its own pages: not
# checked; with two, getppid's, it keeps trapping.) The guest's output says
# every call answered right.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v straddle || continue
    bin=$BIN
    for mode in fast trap; do
        mode_flags $mode
        stats_run "$v, $mode" "$bin" "${MODE_FLAGS[@]}"
        read -r y_trap y_fast <<<"$(stats_row sched_yield "$T/stats")"
        read -r g_trap g_fast <<<"$(stats_row getpgrp "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${y_fast:-?} ${g_fast:-?})" "${y_fast:-0}${g_fast:-0}" = 00
        else
            check "$v: four bytes before the boundary: fast (sched_yield trap ${y_trap:-?}, fast ${y_fast:-?})" \
                "${y_fast:-0}" -ge 1500
        fi
    done
done
finish
