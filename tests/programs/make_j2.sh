# make -j2 builds a small C project under lbw: make, sh, gcc (cc1, as, ld)
# and their children all run under lbw, two jobs at a time. The project is
# generated here; the native and lbw builds must print the same, make the
# same binary, and the binary must work. Then: an up-to-date tree, a
# rebuild after a touch, a failing compile (-k keeps going), make clean.
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
mkdir -p proj/src proj/include
for i in 1 2 3 4 5 6; do
    cat >"proj/src/part$i.c" <<C
#include "parts.h"
int part$i(int x) { int s = 0; for (int k = 0; k < x * $i; k++) s += k % ($i + 2); return s; }
C
done
{
    echo '#ifndef PARTS_H'
    echo '#define PARTS_H'
    for i in 1 2 3 4 5 6; do echo "int part$i(int x);"; done
    echo '#endif'
} >proj/include/parts.h
cat >proj/src/main.c <<'C'
#include <stdio.h>
#include "parts.h"
int main(int argc, char **argv)
{
    int x = argc > 1 ? argv[1][0] - '0' : 5;
    printf("parts: %d %d %d %d %d %d\n", part1(x), part2(x), part3(x), part4(x), part5(x), part6(x));
    return 0;
}
C
cat >proj/src/broken.c <<'C'
int broken(void) { return undeclared_name; }
C
cat >proj/Makefile <<'M'
CC = gcc
CFLAGS = -O2 -Iinclude
OBJS = $(patsubst src/%.c,obj/%.o,$(filter-out src/broken.c,$(wildcard src/*.c)))
app: $(OBJS)
	$(CC) -o $@ $(sort $(OBJS))
obj/%.o: src/%.c include/parts.h | obj
	$(CC) $(CFLAGS) -c -o $@ $<
obj:
	mkdir -p obj
broken: obj/broken.o obj/main.o
clean:
	rm -rf obj app
.PHONY: clean broken
M

# -s: the order in which two jobs print is not fixed, so recipes stay quiet.
# The native run builds in n/, the run under lbw in nl/.
same_sh "make -j2 -s, the objects, the program's output, then make -q" \
    'd=n${L:+l}; rm -rf $d && cp -r proj $d && cd $d && $L make -j2 -s && ls obj && ./app && ./app 9 &&
     $L make -q -j2; echo "make -q status $?"'
check "the lbw-built binary exists" -x nl/app
check "the lbw-built and native binaries are identical" "$(cmp n/app nl/app >/dev/null 2>&1 && echo same)" = same
same_sh "make -j2 with every object older than the header, then make clean" \
    'rm -rf w && cp -r proj w && cd w && make -s -j2 >/dev/null && touch -d 2001-01-01 obj/*.o app &&
     $L make -j2 | grep -c "gcc -O2"; ./app 3; $L make clean; ls'
same_sh "make -j2 -k with a failing compile" \
    'rm -rf w && cp -r proj w && cd w && $L make -j2 -k broken 2>&1 | grep -E "error|Error|\*\*\*" |
     sed "s/:[0-9]*:[0-9]*:/:L:C:/" | sort; echo "status ${PIPESTATUS[0]}"'
finish
