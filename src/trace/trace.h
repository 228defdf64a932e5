/* --trace: one strace-like line per guest system call, decoded from the
 * argument and result kinds of the one syscall table (sys/syscalls.def). */
#ifndef LBW_TRACE_TRACE_H
#define LBW_TRACE_TRACE_H

struct sc;

/* Writes "PID name(arg, ...) = RESULT\n" to fd with a single write(2), so
 * that lines from several threads and processes never interleave. With
 * returned == 0 (execve, exit: the call may not come back) the result is
 * "?" and output buffers show as addresses. Guest memory is read only
 * through copy_from_guest: a bad pointer prints as its address. */
void trace_call(int fd, int pid, const struct sc *c, long ret, int returned);

#endif
