# lbw-only: a call lbw does not support returns ENOSYS and prints exactly one
# line per number, however often it is made: "lbw: unimplemented syscall N (name)".
. "$TESTS_DIR/lib.sh"
cat >"$T/nosys.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void)
{
    for (int i = 0; i < 3; i++) {
        long r = syscall(425, 1, 0); /* io_uring_setup */
        printf("io_uring_setup: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    }
    long r = syscall(426, 0, 0, 0, 0, 0, 0); /* io_uring_enter */
    printf("io_uring_enter: %ld\n", r);
    return 0;
}
C
gcc -O2 -o "$T/nosys" "$T/nosys.c"
lbw_run "$T/nosys"
check "exit 0 (got $RC)" "$RC" = 0
check "io_uring_setup returns ENOSYS three times" "$(count '^io_uring_setup: -1 Function not implemented' "$OUT")" = 3
check "one notice for 425" "$(count '^lbw: unimplemented syscall 425 \(io_uring_setup\)$' "$ERR")" = 1
check "one notice for 426" "$(count '^lbw: unimplemented syscall 426 \(io_uring_enter\)$' "$ERR")" = 1
check "nothing else on stderr" "$(wc -l <"$ERR")" = 2
finish
