/* unsharefd: a thread with a descriptor table of its own
 * (unshare(CLONE_FILES)), which has closed the descriptors it inherited,
 * makes path calls while the main thread still holds other files at those
 * numbers: whatever descriptor lbw opens to make the call must be named in
 * the calling thread's table (/proc/thread-self), not the leader's
 * (/proc/self), or the call lands on the leader's file. In a guest root
 * (the test suite's -R pass) every such call goes through lbw's path walk.
 * Prints what each call returned and every file's size after. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>

static char dir[64];

static void say(const char *what, int r)
{
    printf("%s: %s\n", what, r == 0 ? "ok" : strerror(errno));
}

static void *thread(void *arg)
{
    (void)arg;
    char p[128];
    say("unshare(CLONE_FILES)", unshare(CLONE_FILES));
    for (int fd = 3; fd < 16; fd++)
        close(fd);
    snprintf(p, sizeof p, "%s/g", dir);
    say("truncate g to 4", truncate(p, 4));
    struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};
    say("utimes g", utimes(p, tv));
    snprintf(p, sizeof p, "%s/sub/../g", dir);
    say("truncate sub/../g to 3", truncate(p, 3));
    struct statfs sf;
    say("statfs g", statfs(p, &sf));
    struct stat st;
    say("stat g", stat(p, &st));
    int fd = open(p, O_RDONLY);
    say("open g", fd < 0 ? -1 : 0);
    if (fd >= 0)
        close(fd);
    snprintf(p, sizeof p, "%s/made", dir);
    say("mkdir made", mkdir(p, 0755));
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    strcpy(dir, "/tmp/unsharefd.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    char p[128];
    const char *names[] = {"a", "b", "c", "d", "g"};
    int held[4];
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, "0123456789", 10) != 10)
            return 1;
        if (i < 4)
            held[i] = fd; /* the leader's 3, 4, 5, 6: what a wrong name reaches */
        else
            close(fd);
    }
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    pthread_t t;
    pthread_create(&t, NULL, thread, NULL);
    pthread_join(t, NULL);
    for (int i = 0; i < 5; i++) {
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (stat(p, &st) == 0)
            printf("%s: %lld bytes%s\n", names[i], (long long)st.st_size,
                   st.st_mtime == 1000000000 ? ", stamped" : "");
        unlink(p);
    }
    for (int i = 0; i < 4; i++)
        close(held[i]);
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/made", dir);
    rmdir(p);
    rmdir(dir);
    return 0;
}
