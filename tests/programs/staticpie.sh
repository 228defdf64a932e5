# Static-pie programs (glibc's gcc -static-pie): the kernel would load them
# without an interpreter at an address of mmap's choosing; lbw must too.
. "$TESTS_DIR/lib.sh"
src="$TESTS_DIR/guest"
for prog in hello args procself fork; do
    gcc -O2 -static-pie -o "$T/$prog" "$src/$prog.c" 2>"$T/cc.err" || { cat "$T/cc.err"; exit 1; }
    same "static-pie $prog" "$T/$prog" one two
done
finish
