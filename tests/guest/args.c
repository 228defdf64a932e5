/* args: echo argv and the LBWT_* environment variables (in environ order).
 * The runner passes a few arguments, one of them empty, and sets LBWT_A and
 * LBWT_B. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    printf("argv[argc] is %s\n", argv[argc] ? "non-NULL" : "NULL");
    int n = 0;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "LBWT_", 5) == 0)
            printf("env: [%s]\n", *e);
        n++;
    }
    printf("environment has entries: %s\n", n > 0 ? "yes" : "no");
    const char *a = getenv("LBWT_A");
    printf("getenv(LBWT_A)=%s\n", a ? a : "(null)");
    return argc;
}
