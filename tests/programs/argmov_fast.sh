# lbw-only: a syscall site whose five bytes before the syscall set an
# argument (`mov $AT_FDCWD,%edi; syscall`, glibc's open64_nocancel, the
# open of opendir) is rewritten too, with a check of %eax in its stub:
# tests/guest/argmov.c calls two such sites of its own 440 times with
# openat, and the same sites with other calls in between (which must
# trap and be made as asked: its output says so), then opendir 100 times.
# A site is rewritten after 16 traps, so at least 400 openat calls come
# the fast way, 480 with glibc (opendir's too), with or without a guest
# root (where lbw serves openat itself); none with --no-rewrite. Its pread
# site ends with the six bytes of `mov $5,%r10d`: rewritten too (80 of
# its 100 calls fast at least), its output still right. So are the sites
# whose seven bytes before are a lea of an argument (RIP-relative for
# statx's path, from %r9 for read's buffer): 150 of 200 calls fast each;
# but a program not built PIE has its path below 4 GiB, where `8d` after a
# last byte 48 of the instruction before would compute the same: such a
# site keeps trapping (static and musl builds here).
# Its site that takes the number in a register (as Go's Syscall6) serves
# any number: its 300 writes come the fast way (250 at least); so do the
# 300 sched_yield calls it makes through glibc's syscall(3), whose number
# is in a register too (musl's syscall(3) keeps trapping).
# Its `mov $8,%eax; xor $0x80,%sil; syscall` site (glibc's contended-mutex
# wait is made so) is rewritten with the xor replayed: of its 1040 lseek
# calls 750 come the fast way (584 without that form: glibc's lseek and
# no other), while the same site entered at the xor, the decoys (a mov
# that is a movabs's tail; a movabs to %r8 whose eight bytes read as the
# mov and the xor) and the mov to %r14d keep trapping.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v argmov || continue
    bin=$BIN
    want=400
    [ $v = musl ] || want=480 # musl's opendir calls open, not openat
    for mode in fast root trap; do
        mode_flags $mode -r /
        stats_run "$v, $mode" "$bin" "${MODE_FLAGS[@]}"
        read -r open_trap open_fast <<<"$(stats_row openat "$T/stats")"
        read -r pread_trap pread_fast <<<"$(stats_row pread64 "$T/stats")"
        read -r statx_trap statx_fast <<<"$(stats_row statx "$T/stats")"
        read -r read_trap read_fast <<<"$(stats_row read "$T/stats")"
        read -r write_trap write_fast <<<"$(stats_row write "$T/stats")"
        read -r yield_trap yield_fast <<<"$(stats_row sched_yield "$T/stats")"
        read -r lseek_trap lseek_fast <<<"$(stats_row lseek "$T/stats")"
        if [ $mode = trap ]; then
            check "$v: nothing fast with --no-rewrite (${open_fast:-?} ${pread_fast:-?} ${statx_fast:-?} ${read_fast:-?} ${write_fast:-?} ${lseek_fast:-?})" \
                "${open_fast:-0}${pread_fast:-0}${statx_fast:-0}${read_fast:-0}${write_fast:-0}${lseek_fast:-0}" = 000000
        else
            check "$v, $mode: openat on the fast path (trap ${open_trap:-?}, fast ${open_fast:-?})" \
                "${open_fast:-0}" -ge $want
            check "$v, $mode: pread64 after mov \$5,%r10d on the fast path (trap ${pread_trap:-?}, fast ${pread_fast:-?})" \
                "${pread_fast:-0}" -ge 80
            if [ $v = glibc ]; then
                check "$v, $mode: statx after a RIP-relative lea on the fast path (trap ${statx_trap:-?}, fast ${statx_fast:-?})" \
                    "${statx_fast:-0}" -ge 150
            else
                check "$v, $mode: statx after a lea of an address below 4 GiB keeps trapping (trap ${statx_trap:-?}, fast ${statx_fast:-?})" \
                    "${statx_fast:-0}" = 0
            fi
            check "$v, $mode: lseek after mov \$8,%eax; xor \$0x80,%sil on the fast path (trap ${lseek_trap:-?}, fast ${lseek_fast:-?})" \
                "${lseek_fast:-0}" -ge 750 -a "${lseek_trap:-0}" -ge 356
            check "$v, $mode: read after a lea from %r9 on the fast path (trap ${read_trap:-?}, fast ${read_fast:-?})" \
                "${read_fast:-0}" -ge 150
            # (without ASLR the brk starts right after the program, where
            # a register site's stub page would stand in its way)
            aslr_on &&
                check "$v, $mode: writes from the register site on the fast path (trap ${write_trap:-?}, fast ${write_fast:-?})" \
                    "${write_fast:-0}" -ge 250
            [ $v = musl ] ||
                check "$v, $mode: syscall(3) on the fast path (sched_yield trap ${yield_trap:-?}, fast ${yield_fast:-?})" \
                    "${yield_fast:-0}" -ge 250
        fi
    done
done
finish
