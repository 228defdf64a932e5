# A site only fork children reach is rewritten in their parent once the
# children, counting together, have made it hot: tests/guest/forkfamily.c
# forks 60 children (some with a grandchild, some exec'ing the program
# again) that call their own getppid site three times each. Natively and
# under lbw the answers are right; with --stats, 150 of its 207 calls at
# least came the fast way (each child alone never reaches the 16 traps a
# rewrite waits for: before, none did), also in a guest root; none with
# --no-rewrite.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v forkfamily || continue
    for mode in fast root trap; do
        mode_flags $mode -r /
        stats_run "$v, $mode" "$BIN" "${MODE_FLAGS[@]}"
        read -r ppid_trap ppid_fast <<<"$(stats_row getppid "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${ppid_fast:-?})" "${ppid_fast:-0}" = 0
        else
            check "$v, $mode: the children's getppid site on the fast path (trap ${ppid_trap:-?}, fast ${ppid_fast:-?})" \
                "${ppid_fast:-0}" -ge 150
        fi
    done
done
finish
