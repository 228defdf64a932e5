# Signal calls whose handlers need no signal frame (rt_sigprocmask,
# rt_sigaction, uname, and rt_sigreturn, which needs the guest's %rsp
# only) take the fast path once their site is rewritten:
# tests/guest/sigmask.c and sigreturn.c give the same output as natively,
# with --stats showing most of those calls came the fast way (the
# restorer's `48 c7 c0 0f 00 00 00`, mov $15,%rax, is a site form of its
# own); with --no-rewrite every call traps and the output is the same.
. "$TESTS_DIR/lib.sh"
# guest, call, fewest fast calls: sigmask makes 20000 mask flips and 1600
# block/unblock rounds, 200+ sigaction and uname calls; sigreturn returns
# from 1000 handlers. All but a site's first few calls go fast.
WANT="sigmask rt_sigprocmask 20000
sigmask rt_sigaction 150
sigmask uname 150
sigreturn rt_sigreturn 900"
for guest in sigmask sigreturn; do
    for v in glibc static musl; do
        guest_bin $v $guest || continue
        bin=$BIN
        for mode in fast trap; do
            mode_flags $mode
            stats_run "$guest $v, $mode" "$bin" "${MODE_FLAGS[@]}"
            while read -r g call least; do
                [ "$g" = "$guest" ] || continue
                read -r trap fast <<<"$(stats_row "$call" "$T/stats")"
                if [ $mode = fast ]; then
                    check "$guest $v: $call on the fast path (trap ${trap:-?}, fast ${fast:-?})" \
                        "${fast:-0}" -ge "$least"
                else
                    check "$guest $v: $call traps with --no-rewrite (fast ${fast:-?})" "${fast:-0}" = 0
                fi
            done <<<"$WANT"
        done
    done
done
finish
