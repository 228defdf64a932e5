/* sigtail.c: a guest that waits, without system calls, for a SIGUSR1 that
 * tests/programs/sigtail.sh sends (through gdb) while lbw is on its way
 * back to it: after a trapped call ("call"), after a guest fault ("fault",
 * the guest's SIGSEGV handler waits), at the guest's own rt_sigreturn
 * ("sigreturn"), at a new thread's first entry ("thread", a raw clone
 * whose child waits). Prints "delivered" if its handler ran within ~2 s,
 * else "lost". r12 holds MARK during the call and the fault, so that gdb
 * stops for that one only. "exec" execs itself ("exec-wait") with SIGUSR1
 * caught: one sent while lbw makes that execve must reach the new image
 * (which does not catch it: it dies of it) or the old one, and never be
 * lost nor left blocked; "exec-vfork" the same in a vfork child (lbw then
 * execs through the kernel), whose end its parent prints. */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#define MARK "0x1bad5eed"

static volatile sig_atomic_t got, in_time, child_done;
static sigjmp_buf env;
static char child_stack[65536] __attribute__((aligned(16)));

/* No system call in here: a signal lbw held would come at the next one. */
static void wait_for_usr1(void)
{
	unsigned long long end = __rdtsc() + 4000000000ULL;
	while (!got && __rdtsc() < end)
		;
	in_time = got;
}

static void on_usr1(int sig) { (void)sig; got = 1; }
static void on_usr2(int sig) { (void)sig; }
static void on_segv(int sig)
{
	(void)sig;
	wait_for_usr1();
	siglongjmp(env, 1);
}

static int child(void *arg)
{
	(void)arg;
	wait_for_usr1();
	child_done = 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "call";
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (!strcmp(mode, "exec-wait")) {
		wait_for_usr1(); /* SIGUSR1 is not caught here */
		printf("%s\n", in_time ? "delivered" : "lost");
		return 0;
	}
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	int waited = 0;
	if (!strcmp(mode, "call")) {
		long r;
		__asm__ volatile("sub $128, %%rsp; push %%r12; mov $" MARK ", %%r12; syscall; pop %%r12; add $128, %%rsp"
				 : "=a"(r) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	} else if (!strcmp(mode, "sigreturn")) {
		raise(SIGUSR2);
	} else if (!strcmp(mode, "fault")) {
		if (!sigsetjmp(env, 1))
			__asm__ volatile("mov $" MARK ", %%r12; movb $0, 0" ::: "r12", "memory");
		waited = 1;
	} else if (!strcmp(mode, "thread")) {
		if (clone(child, child_stack + sizeof child_stack,
			  CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM,
			  NULL) < 0) {
			perror("clone");
			return 1;
		}
		while (!child_done)
			;
		waited = 1;
	} else if (!strcmp(mode, "exec")) {
		char *args[] = {argv[0], "exec-wait", NULL};
		execv(argv[0], args);
		perror("execv");
		return 1;
	} else if (!strcmp(mode, "exec-vfork")) {
		char *args[] = {argv[0], "exec-wait", NULL};
		pid_t pid = vfork();
		if (pid == 0) {
			execv(argv[0], args);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			perror("vfork");
			return 1;
		}
		if (WIFSIGNALED(status))
			printf("the child died of signal %d\n", WTERMSIG(status));
		else
			printf("the child exited with %d\n", WEXITSTATUS(status));
		return 0;
	} else {
		fprintf(stderr, "usage: sigtail call|sigreturn|fault|thread|exec|exec-vfork\n");
		return 2;
	}
	if (!waited)
		wait_for_usr1();
	printf("%s\n", in_time ? "delivered" : "lost");
	return 0;
}
