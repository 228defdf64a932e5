# Signal calls whose handlers need no signal frame (rt_sigprocmask,
# rt_sigaction, uname, and rt_sigreturn, which needs the guest's %rsp
# only) take the fast path once their site is rewritten:
# tests/guest/sigmask.c and sigreturn.c give the same output as natively,
# with --stats showing most of those calls came the fast way (the
# restorer's `48 c7 c0 0f 00 00 00`, mov $15,%rax, is a site form of its
# own); with --no-rewrite every call traps and the output is the same.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v sigmask || continue
    bin=$BIN
    for mode in fast trap; do
        mode_flags $mode
        stats_run "$v, $mode" "$bin" "${MODE_FLAGS[@]}"
        read -r mask_trap mask_fast <<<"$(stats_row rt_sigprocmask "$T/stats")"
        read -r act_trap act_fast <<<"$(stats_row rt_sigaction "$T/stats")"
        read -r uname_trap uname_fast <<<"$(stats_row uname "$T/stats")"
        if [ $mode = fast ]; then
            # 20000 mask flips and 1600 block/unblock rounds: nearly all fast
            check "$v: rt_sigprocmask on the fast path (trap ${mask_trap:-?}, fast ${mask_fast:-?})" \
                "${mask_fast:-0}" -ge 20000
            check "$v: rt_sigaction on the fast path (trap ${act_trap:-?}, fast ${act_fast:-?})" "${act_fast:-0}" -ge 150
            check "$v: uname on the fast path (trap ${uname_trap:-?}, fast ${uname_fast:-?})" "${uname_fast:-0}" -ge 150
        else
            check "$v: nothing fast with --no-rewrite (${mask_fast:-?} ${act_fast:-?} ${uname_fast:-?})" \
                "${mask_fast:-0}${act_fast:-0}${uname_fast:-0}" = 000
        fi
    done
done
for v in glibc static musl; do
    guest_bin $v sigreturn || continue
    bin=$BIN
    for mode in fast trap; do
        mode_flags $mode
        stats_run "sigreturn $v, $mode" "$bin" "${MODE_FLAGS[@]}"
        read -r ret_trap ret_fast <<<"$(stats_row rt_sigreturn "$T/stats")"
        if [ $mode = fast ]; then
            # 1000 handlers return: all but the first few fast
            check "$v: rt_sigreturn on the fast path (trap ${ret_trap:-?}, fast ${ret_fast:-?})" \
                "${ret_fast:-0}" -ge 900
        else
            check "$v: rt_sigreturn traps with --no-rewrite (fast ${ret_fast:-?})" "${ret_fast:-0}" = 0
        fi
    done
done
finish
