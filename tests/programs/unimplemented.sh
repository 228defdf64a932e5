# lbw-only: a call lbw does not support returns ENOSYS and prints exactly one
# line per number, however often it is made: "lbw: unimplemented syscall N (name)".
# A hole in the numbering and a negative number (the kernel reads an int)
# are no calls at all: ENOSYS without a notice. --trace names them as
# strace does (syscall_0x14f).
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
    r = syscall(380); /* a hole */
    printf("380: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    r = syscall(0x80000001L); /* -2147483647 */
    printf("negative: %ld %s\n", r, r < 0 ? strerror(errno) : "");
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
check "380 and a negative number: ENOSYS" "$(count '^(380|negative): -1 Function not implemented' "$OUT")" = 2
lbw_run --trace "$T/nosys"
check "traced as strace names them ($(grep -o 'syscall_[^(]*' "$ERR" | tr '\n' ' '))" \
    "$(count '^[0-9]+ syscall_0x17c\(.*= -1 ENOSYS$' "$ERR")$(count '^[0-9]+ syscall_0xffffffff80000001\(.*= -1 ENOSYS$' "$ERR")" = 11
finish
