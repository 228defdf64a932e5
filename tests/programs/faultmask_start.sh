# lbw started with SIGSEGV, SIGBUS and SIGSYS blocked (by the program that
# ran it): the guest sees them blocked, and lbw still gets its own faults
# and traps (the guest's bits for those are lbw's): bad pointers are EFAULT.
. "$TESTS_DIR/lib.sh"
for v in glibc static musl; do
    guest_bin $v faultmask || continue
    bin=$BIN
    same_sh "$v: started with them blocked" \
        "$PY -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGSEGV, signal.SIGBUS, signal.SIGSYS})
os.execv(sys.argv[1], sys.argv[1:])' \$L $bin inherited"
done
finish
