# lbw-only: a file that cannot be executed gives exit 126 and one line.
. "$TESTS_DIR/lib.sh"
printf '#!/bin/sh\necho hi\n' >"$T/script-not-x"
chmod 644 "$T/script-not-x"
lbw_error "file without execute permission" 126 "$T/script-not-x"
cp /bin/true "$T/true-not-x"
chmod 644 "$T/true-not-x"
lbw_error "ELF without execute permission" 126 "$T/true-not-x"
lbw_error "a directory" 126 "$T"
# the same file made executable works (the script is a #! script)
chmod 755 "$T/script-not-x"
lbw_run "$T/script-not-x"
check "the same script, once executable, runs (exit $RC)" "$RC:$(cat "$OUT")" = "0:hi"
finish
