/* The one syscall table: every x86-64 Linux syscall number has exactly one
 * row in syscalls.def. The dispatcher, the tracer's decoder, the statistics
 * and `lbw --syscalls` are all derived from it. */
#ifndef LBW_SYS_TABLE_H
#define LBW_SYS_TABLE_H

#include "../abi/linux.h"

/* How lbw services a call. */
enum sc_status {
	ST_PASS,  /* handed to the host kernel unchanged, from lbw's gate */
	ST_EMU,   /* serviced by a handler sys_<name>() in a sys_<family>.c */
	ST_NOSYS, /* not supported yet: -ENOSYS and a one-line notice */
	ST_PATH,  /* takes a path: emulated (sys_<name>()) for a guest root or
		     binds; without them the fast path passes it through
		     unless the path starts with /proc/ */
	ST_FAKE,  /* what fake root (-0) changes: passed to the host, or
		     serviced by sys_<name>() under -0 */
	ST_OWNER, /* a PATH call that fake root changes too (owners, modes,
		     device nodes, security xattrs): sys_<name>() under -0
		     as well; the other path calls go fast under -0 */
};

/* Argument kinds, for the tracer. A buffer's length is the next argument. */
enum arg_kind {
	A_NONE,
	A_INT,        /* signed decimal */
	A_UINT,       /* unsigned decimal */
	A_HEX,        /* unsigned hexadecimal */
	A_PTR,        /* address, NULL when 0 */
	A_FD,         /* file descriptor */
	A_DIRFD,      /* dirfd: AT_FDCWD by name */
	A_PATH,       /* NUL-terminated path read from the guest */
	A_STR,        /* NUL-terminated string read from the guest */
	A_BUFIN,      /* bytes the guest hands in; length is the next argument */
	A_BUFOUT,     /* bytes the kernel fills; shown after the call, length = result */
	A_SIZE,       /* size_t */
	A_OFF,        /* off_t / loff_t, signed 64-bit */
	A_OFLAGS,     /* open(2) flags */
	A_MODE,       /* file mode, octal */
	A_PROT,       /* mmap/mprotect PROT_* */
	A_MAPFLAGS,   /* mmap MAP_* */
	A_ATFLAGS,    /* AT_* flags */
	A_SIGNUM,     /* signal number by name */
	A_CLONEFLAGS, /* clone(2) flags, low byte = exit signal */
	A_WHENCE,     /* lseek SEEK_* */
	A_STRV,       /* NULL-terminated array of strings (argv, envp) */
	A_FCNTLCMD,   /* fcntl F_* command */
	A_IOCTLCMD,   /* ioctl request, by name where known */
	A_SIGHOW,     /* SIG_BLOCK / SIG_UNBLOCK / SIG_SETMASK */
	A_FUTEXOP,    /* futex op */
	A_PRCTLOP,    /* prctl option */
	A_ARCHPRCTL,  /* arch_prctl code */
	A_SOCKFAM,    /* AF_* */
	A_SOCKTYPE,   /* SOCK_* with flags */
	A_CLOCKID,    /* CLOCK_* */
	A_WAITOPTS,   /* W* options */
	A_MSFLAGS,    /* msync/madvise flags: shown hex (madvise advice is decimal) */
	A_KIND_MAX
};

/* Result kinds, for the tracer. */
enum ret_kind {
	R_INT,  /* decimal, or -1 ERRNO (text) */
	R_HEX,  /* address (mmap, brk) */
	R_FD,   /* a new file descriptor */
	R_SIZE, /* a byte count */
	R_NONE, /* does not return on success (exit, exit_group, execve...) */
};

struct task;
struct sc;
typedef long (*sc_handler)(struct task *t, struct sc *c);

/* No pointers: lbw relocates itself at start-up, and every page of
 * pointers it fixes up is a copy-on-write fault in every process (~12 us
 * each on a VM). The handler is reached by sc_call's switch instead. */
#define SC_NAME_MAX 24 /* landlock_create_ruleset and its NUL */
struct sc_info {
	char name[SC_NAME_MAX];
	unsigned char status;  /* enum sc_status */
	unsigned char ret;     /* enum ret_kind */
	unsigned char nargs;
	unsigned char args[6]; /* enum arg_kind */
};

/* Numbers run 0..SC_MAX-1; holes (337..423 on x86-64) have an empty name. */
#define SC_MAX 470

extern const struct sc_info sc_table[SC_MAX];

/* Calls the handler of c's row (c->nr must be a row of the table). */
long sc_call(struct task *t, struct sc *c);

/* Declarations of the handlers of ST_EMU rows. */
#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) SC_DECL_##st(name)
#define SC_DECL_PASS(name)
#define SC_DECL_NOSYS(name)
#define SC_DECL_EMU(name) long sys_##name(struct task *t, struct sc *c);
#define SC_DECL_PATH(name) long sys_##name(struct task *t, struct sc *c);
#define SC_DECL_FAKE(name) long sys_##name(struct task *t, struct sc *c);
#define SC_DECL_OWNER(name) long sys_##name(struct task *t, struct sc *c);
#include "syscalls.def"
#undef SC

#endif
