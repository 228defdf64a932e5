# lbw-only: a syscall site whose five bytes before the syscall set an
# argument (`mov $AT_FDCWD,%edi; syscall`, glibc's open64_nocancel, the
# open of opendir) is rewritten too, with a check of %eax in its stub:
# tests/guest/argmov.c calls two such sites of its own 440 times with
# openat, and the same sites with other calls in between (which must
# trap and be made as asked: its output says so), then opendir 100 times.
# A site is rewritten after 16 traps, so at least 400 openat calls come
# the fast way, 480 with glibc (opendir's too), with or without a guest
# root (where lbw serves openat itself); none with --no-rewrite.
. "$TESTS_DIR/lib.sh"
LBW0=${LBWCMD[0]}
for v in glibc static musl; do
    bin=$GUEST_BUILD/$v/argmov
    check "the $v argmov guest is built" -x "$bin"
    [ -x "$bin" ] || continue
    "$bin" >"$T/native.$v" 2>&1
    want=400
    [ $v = musl ] || want=480 # musl's opendir calls open, not openat
    for mode in fast root trap; do
        flags=()
        [ $mode = root ] && flags+=(-r /)
        [ $mode = trap ] && flags+=(--no-rewrite)
        timeout -k 5 "$TEST_TIMEOUT" "$LBW0" "${flags[@]}" --stats "$bin" >"$T/out" 2>"$T/stats"
        rc=$?
        check "$v, $mode: exit 0 (got $rc)" "$rc" = 0
        check "$v, $mode: the same output as natively ($(tr '\n' '|' <"$T/out"))" \
            "$(cat "$T/out")" = "$(cat "$T/native.$v")"
        read -r open_trap open_fast <<<"$(stats_row openat "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${open_fast:-?})" "${open_fast:-0}" = 0
        else
            check "$v, $mode: openat on the fast path (trap ${open_trap:-?}, fast ${open_fast:-?})" \
                "${open_fast:-0}" -ge $want
        fi
    done
done
finish
