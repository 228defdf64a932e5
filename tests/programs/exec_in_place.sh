# lbw-only: an execve from a single-threaded process that shares nothing
# with another process replaces the guest image in place (no kernel execve:
# strace counts only lbw's own); a vfork child, a process with a second
# thread or one that made a POSIX timer re-executes lbw instead (the
# guest-visible semantics are checked differentially by guest/execstate,
# guest/exec and guest/sigexec).
. "$TESTS_DIR/lib.sh"
execs() { grep -cE "exec(ve|veat)\(" "$1"; }
st() { strace -f -qq -e signal=none -e trace=execve,execveat -o "$T/$1" "${LBWCMD[@]}" "${@:2}"; }

st shexec /bin/sh -c 'exec /bin/true'
check "sh -c 'exec true' exits 0" $? = 0
check "sh execs in place: one execve, lbw's own ($(head -c 300 "$T/shexec"))" "$(execs "$T/shexec")" = 1

st pyfork /usr/bin/python3 -c '
import os
pid = os.fork()
if pid == 0:
    os.execv("/bin/sh", ["sh", "-c", "exit 7"])
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' >"$T/pyfork.out"
check "a fork child's exec gives its status ($(cat "$T/pyfork.out"))" "$(cat "$T/pyfork.out")" = 7
check "a fork child execs in place ($(head -c 300 "$T/pyfork"))" "$(execs "$T/pyfork")" = 1

st pythread /usr/bin/python3 -c '
import os, threading, time
threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
os.execv("/bin/sh", ["sh", "-c", "echo replaced"])' >"$T/pythread.out"
check "exec with a second thread replaces the process ($(cat "$T/pythread.out"))" "$(cat "$T/pythread.out")" = replaced
check "... through the kernel ($(head -c 300 "$T/pythread"))" "$(execs "$T/pythread")" = 2

st vfork /bin/sh -c '/bin/true; exit 0'
check "a vfork child (dash) re-executes lbw ($(head -c 300 "$T/vfork"))" "$(execs "$T/vfork")" = 2

st timer "$GUEST_BUILD/glibc/execstate" >"$T/timer.out"
check "execstate under lbw exits 0" $? = 0
check "in place, then after timer_create through the kernel ($(head -c 300 "$T/timer"))" "$(execs "$T/timer")" = 2
finish
