# gcc compiles and links hello world under lbw (gcc forks and execs cc1, as,
# collect2 and ld: every one of them must run under lbw too).
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
cat >hello.c <<'C'
#include <stdio.h>
int main(int argc, char **argv) { printf("hello from %s with %d arg(s)\n", argc > 1 ? argv[1] : "nobody", argc - 1); return 4; }
C
mkdir -p native lbw
gcc -O2 -o native/x hello.c 2>native.err
check "native gcc exit 0" $? = 0
"${LBWCMD[@]}" gcc -O2 -o lbw/x hello.c 2>lbw.err
rc=$?
check "gcc under lbw exit 0 (stderr: $(head -c 300 lbw.err))" "$rc" = 0
check "gcc under lbw: no stderr" "$(cat lbw.err)" = ""
check "gcc under lbw made an executable" -x lbw/x
same "the lbw-built program runs the same as the native one" ./lbw/x lbw-built
same "the native-built program" ./native/x native-built
a=$(./lbw/x a; echo "rc=$?")
b=$(./native/x a; echo "rc=$?")
check "lbw-built program, run natively, behaves like the native one" "$a" = "$b"
check "the two binaries are identical" "$(cmp native/x lbw/x >/dev/null 2>&1 && echo same)" = same
same "gcc -c and a separate link" sh -c 'gcc -c -o h.o hello.c && gcc -o h h.o && ./h'
same "gcc -static" sh -c 'gcc -static -O2 -o hs hello.c && ./hs static'
same "gcc error: missing file" gcc -c /nonexistent.c
same "gcc -E from stdin" sh -c 'echo "int x;" | gcc -E - | tail -1'
finish
