/* bench/timeit.c: run one command, report its wall time and peak memory.
 *
 *   timeit TIMEOUT_S RESULT_FILE COMMAND [ARGS...]
 *
 * Runs COMMAND (found on PATH) in a process group of its own with the
 * caller's stdin, stdout and stderr, and writes one line to RESULT_FILE:
 *   `wall_ns status maxrss_kib`
 * wall_ns: from just before fork to the end of wait4, CLOCK_MONOTONIC;
 * status: the exit status, 128+N for death by signal N, "timeout" when
 * COMMAND (and its group) was killed after TIMEOUT_S seconds;
 * maxrss_kib: the largest resident set of COMMAND or any descendant it
 * waited for (wait4's ru_maxrss).
 * timeit's own exit status is COMMAND's (124 on timeout, 126/127 when it
 * could not be run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig) { (void)sig; timed_out = 1; }

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: timeit TIMEOUT_S RESULT_FILE COMMAND [ARGS...]\n");
        return 2;
    }
    unsigned timeout_s = (unsigned)atoi(argv[1]);
    const char *result = argv[2];
    struct timespec t0, t1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
    sigaction(SIGALRM, &sa, NULL);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("timeit: fork");
        return 126;
    }
    if (pid == 0) {
        setpgid(0, 0);
        execvp(argv[3], argv + 3);
        fprintf(stderr, "timeit: %s: %s\n", argv[3], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    setpgid(pid, pid);
    if (timeout_s)
        alarm(timeout_s);

    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        if (wait4(pid, &st, 0, &ru) == pid)
            break;
        if (errno != EINTR) {
            perror("timeit: wait4");
            return 126;
        }
        if (timed_out) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    alarm(0);
    /* Whatever the command left behind in its group goes too. */
    kill(-pid, SIGKILL);

    long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    FILE *f = fopen(result, "w");
    if (!f) {
        perror(result);
        return 126;
    }
    if (timed_out)
        fprintf(f, "%lld timeout %ld\n", ns, ru.ru_maxrss);
    else
        fprintf(f, "%lld %d %ld\n", ns, code, ru.ru_maxrss);
    fclose(f);
    return timed_out ? 124 : code;
}
