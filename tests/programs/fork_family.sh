# A site only fork children reach is rewritten in their parent once the
# children, counting together, have made it hot: tests/guest/forkfamily.c
# forks 60 children (some with a grandchild, some exec'ing the program
# again) that call their own getppid site three times each. Natively and
# under lbw the answers are right; with --stats, 150 of its 207 calls at
# least came the fast way (each child alone never reaches the 16 traps a
# rewrite waits for: before, none did), also in a guest root; none with
# --no-rewrite. A site one child rewrote for itself (getpgid's, of a form
# not shared) is the parent's to rewrite too: 990 of the parent's 1000
# calls fast (a done-mark shared with the child kept them all trapping).
# Four workers' 8000 sched_yield calls from one site count together: at
# most 40 trap (16 each alone), 7900 fast.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v forkfamily || continue
    for mode in fast root trap; do
        mode_flags $mode -r /
        stats_run "$v, $mode" "$BIN" "${MODE_FLAGS[@]}"
        read -r ppid_trap ppid_fast <<<"$(stats_row getppid "$T/stats")"
        read -r pgid_trap pgid_fast <<<"$(stats_row getpgid "$T/stats")"
        read -r yield_trap yield_fast <<<"$(stats_row sched_yield "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${ppid_fast:-?} ${pgid_fast:-?} ${yield_fast:-?})" \
                "${ppid_fast:-0}${pgid_fast:-0}${yield_fast:-0}" = 000
        else
            check "$v, $mode: the children's getppid site on the fast path (trap ${ppid_trap:-?}, fast ${ppid_fast:-?})" \
                "${ppid_fast:-0}" -ge 150
            check "$v, $mode: the parent rewrites a site a child rewrote for itself (trap ${pgid_trap:-?}, fast ${pgid_fast:-?})" \
                "${pgid_fast:-0}" -ge 990
            check "$v, $mode: workers count together (trap ${yield_trap:-?}, fast ${yield_fast:-?})" \
                "${yield_trap:-99}" -le 40 -a "${yield_fast:-0}" -ge 7900
        fi
    done
done
# tests/guest/forkkin.c: a parent that maps a file's code only after a
# fork whose take-up of a child's listed site found nothing there still
# rewrites that site itself: 990 of its 1000 getuid calls fast.
for v in glibc static musl; do
    guest_bin $v forkkin || continue
    for mode in fast trap; do
        mode_flags $mode
        stats_run "forkkin $v, $mode" "$BIN" "${MODE_FLAGS[@]}"
        read -r uid_trap uid_fast <<<"$(stats_row getuid "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: forkkin, nothing fast with --no-rewrite (${uid_fast:-?})" "${uid_fast:-0}" = 0
        else
            check "$v: the parent rewrites a site mapped after a take-up (trap ${uid_trap:-?}, fast ${uid_fast:-?})" \
                "${uid_fast:-0}" -ge 990
        fi
    done
done
finish
