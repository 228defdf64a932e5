# lbw-only: the lbw binary is freestanding (no libc, no dynamic loader, no
# NEEDED entries, no %fs/%gs in its code: those are the guest's), and the
# sources build warning-free with gcc and clang (-Wall -Wextra).
. "$TESTS_DIR/lib.sh"
bin=${LBWCMD[0]}
root=$(cd "$TESTS_DIR/.." && pwd)
check "no INTERP segment" "$(readelf -lW "$bin" | grep -c INTERP)" = 0
check "no NEEDED entries" "$(readelf -dW "$bin" | grep -c NEEDED)" = 0
check "no undefined symbols" "$(nm -u "$bin" | grep -vc ' w ')" = 0
check "no libc symbols" "$(nm "$bin" | grep -cE ' (malloc|printf|__libc_start_main|errno)$')" = 0
check "no %fs or %gs in lbw's code" "$(objdump -d "$bin" | grep -cE '%[fg]s')" = 0
for cc in gcc clang; do
    make -s -C "$root" CC=$cc BUILD="$T/build-$cc" >"$T/$cc.log" 2>&1
    check "$cc builds lbw (exit $?)" -x "$T/build-$cc/lbw"
    check "$cc: no warnings ($(grep -c 'warning:' "$T/$cc.log"))" "$(grep -c 'warning:' "$T/$cc.log")" = 0
done
finish
