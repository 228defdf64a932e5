# A fork (clone without CLONE_VM or a new stack, fork) is served from its
# rewritten site, the child going on from lbw's stack as its parent does:
# tests/guest/forkfast.c forks 300 times through the C library (glibc's
# clone, musl's fork) and 60 times from a site of its own (fork), while a
# signal comes every 50 us; its output, the same as natively, says every
# child had its parent's mask and the raw fork kept registers, flags and
# red zone. --stats counts each fork's return in the parent and in the
# child (722 in all): at least 600 come the fast way (a site is rewritten
# after 16 traps, 32 counted); none with --no-rewrite. Its 40 threads
# cloned from a site of its own (as Go makes them) keep trapping: with
# musl, whose fork is fork, the clone row is theirs alone, no call fast.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v forkfast || continue
    bin=$BIN
    for mode in fast trap; do
        mode_flags $mode
        stats_run "forkfast $v, $mode" "$bin" "${MODE_FLAGS[@]}"
        read -r clone_trap clone_fast <<<"$(stats_row clone "$T/stats")"
        read -r fork_trap fork_fast <<<"$(stats_row fork "$T/stats")"
        fast=$((${clone_fast:-0} + ${fork_fast:-0}))
        label="$v: forks on the fast path (clone ${clone_trap:-?}/${clone_fast:-?}, fork ${fork_trap:-?}/${fork_fast:-?})"
        if [ $mode = fast ]; then
            check "$label" "$fast" -ge 600
        else
            check "$label: none with --no-rewrite" "$fast" = 0
        fi
    done
done
guest_bin musl forkfast && {
    stats_run "forkfast musl, threads" "$BIN"
    read -r clone_trap clone_fast <<<"$(stats_row clone "$T/stats")"
    check "musl: a thread's clone traps (trap ${clone_trap:-?}, fast ${clone_fast:-?})" \
        "${clone_trap:-0}" -ge 40 -a "${clone_fast:-0}" = 0
}
finish
