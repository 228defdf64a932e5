# A site only fork children reach is rewritten in their parent once the
# children, counting together, have made it hot: tests/guest/forkfamily.c
# forks 60 children (some with a grandchild, some exec'ing the program
# again) that call their own getppid site three times each. Natively and
# under lbw the answers are right; with --stats, 150 of its 207 calls at
# least came the fast way (each child alone never reaches the 16 traps a
# rewrite waits for: before, none did), also in a guest root; none with
# --no-rewrite. Its forks themselves (glibc's through clone, musl's
# through fork, 40 more from a site of its own that checks registers,
# flags and the red zone on both sides) are served from their rewritten
# sites: 150 of the 212 counted (parent and child each count one) at
# least.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v forkfamily || continue
    for mode in fast root trap; do
        mode_flags $mode -r /
        stats_run "$v, $mode" "$BIN" "${MODE_FLAGS[@]}"
        read -r ppid_trap ppid_fast <<<"$(stats_row getppid "$T/stats")"
        read -r clone_trap clone_fast <<<"$(stats_row clone "$T/stats")"
        read -r fork_trap fork_fast <<<"$(stats_row fork "$T/stats")"
        forks_fast=$((${clone_fast:-0} + ${fork_fast:-0}))
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${ppid_fast:-?} $forks_fast)" "${ppid_fast:-0}$forks_fast" = 00
        else
            check "$v, $mode: the children's getppid site on the fast path (trap ${ppid_trap:-?}, fast ${ppid_fast:-?})" \
                "${ppid_fast:-0}" -ge 150
            check "$v, $mode: forks on the fast path (clone ${clone_trap:-?}/${clone_fast:-?}, fork ${fork_trap:-?}/${fork_fast:-?})" \
                $forks_fast -ge 150
        fi
    done
done
finish
