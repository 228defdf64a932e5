# lbw-only: a guest signal that comes while lbw is on its way back to the
# guest, after its last look at the signals it holds, is delivered at once,
# not at the guest's next system call (which may never come: the guest
# waits in a loop). gdb stops lbw on each way back (rt/gate.S's restorer,
# the rt_sigreturn lbw makes for the guest, a new thread's first entry)
# and sends SIGUSR1 there; the guest (sigtail.c beside this script) waits
# for it without system calls. And one sent while lbw makes an execve
# reaches the new image (which dies of it), in place and through the
# kernel's exec (in a vfork child), as root and as nobody.
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
gcc -O2 -static -o sigtail "$TESTS_DIR/programs/sigtail.c" 2>build.err
check "sigtail.c builds ($(head -c 300 build.err))" -x sigtail
# nobody must reach the guest and gdb's commands: a directory open to all
pub=$(mktemp -d /tmp/lbw-sigtail.XXXXXX) && chmod 755 "$pub" && cp sigtail "$pub/"
if [ -n "$(trap -p EXIT)" ]; then cleanup='rm -rf "$TESTS_TMP"'; else cleanup=:; fi
trap 'rm -rf "$pub"; eval "$cleanup"' EXIT
# gdb_at MODE BREAKPOINT [AS...]: gdb runs the guest under lbw, stops at
# BREAKPOINT (its first hit) and resumes with SIGUSR1; output in $T/gdb.out
# (gdb's and the guest's, whose lines may be cut into each other's)
gdb_at() {
    local mode=$1 at=$2
    shift 2
    cat >"$pub/gdb.cmds" <<EOC
set pagination off
set confirm off
set follow-fork-mode child
handle SIGSYS nostop noprint pass
handle SIGSEGV nostop noprint pass
handle SIGBUS nostop noprint pass
handle SIGUSR1 nostop noprint pass
handle SIGUSR2 nostop noprint pass
break $at
run
delete
signal SIGUSR1
EOC
    (cd "$pub" && timeout -k 5 60 "$@" gdb -batch -nx -x gdb.cmds --args "${LBWCMD[@]}" ./sigtail "$mode") \
        >"$T/gdb.out" 2>&1
}
hit() { grep -c 'Breakpoint 1,' gdb.out; }
tail2() { tail -n 4 gdb.out | tr '\n' '|'; }
run_at() { # run_at MODE BREAKPOINT
    gdb_at "$1" "$2"
    check "$1, SIGUSR1 at ${2%% if*}: delivered ($(tail2))" "$(hit)$(grep -c delivered gdb.out)" = 11
}
# the guest's %r12 (MARK in sigtail.c) in the ucontext the restorer returns
mark='if *(long *)($rsp + 72) == 0x1bad5eed'
for at in lbw_restorer_checked lbw_restorer_checked_insn; do
    run_at call "$at $mark"      # lbw's SIGSYS handler, after a trapped call
    run_at fault "$at $mark"     # lbw's SIGSEGV handler, into the guest's
done
run_at sigreturn sig_block_all   # the guest's rt_sigreturn, which lbw makes
run_at sigreturn lbw_sigreturn_at
run_at thread lbw_child_start    # a new thread's first way into the guest
for as in root nobody; do
    AS=()
    [ $as = nobody ] && [ "$(id -u)" = 0 ] && AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    gdb_at exec sys_execve "${AS[@]}"
    check "exec as $as: the new image dies of the SIGUSR1 sent during execve ($(tail2))" \
        "$(hit)$(grep -c 'terminated with signal SIGUSR1' gdb.out)" = 11
    gdb_at exec-vfork sys_execve "${AS[@]}"
    check "exec in a vfork child as $as: the new image dies of the SIGUSR1 sent during execve ($(tail2))" \
        "$(hit)$(grep -c 'the child died of signal 10' gdb.out)" = 11
done
finish
