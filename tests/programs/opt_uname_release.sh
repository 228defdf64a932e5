# lbw-only: --uname-release=X changes what uname(2) reports everywhere: uname
# (dynamic), busybox uname (static), raw inline-asm SYS_uname in the first
# process, in a forked child and after execve, for all three guest builds.
. "$TESTS_DIR/lib.sh"
R=9.9.9-lbw
lbw_run --uname-release=$R uname -r
check "uname -r (exit $RC): $(head -c 100 "$OUT")" "$(cat "$OUT")" = "$R"
lbw_run --uname-release=$R /bin/busybox uname -r
check "busybox uname -r: $(head -c 100 "$OUT")" "$(cat "$OUT")" = "$R"
lbw_run --uname-release=$R sh -c 'uname -r; sh -c "uname -r"'
check "uname -r after two execve: $(tr '\n' ' ' <"$OUT")" "$(sort -u "$OUT")" = "$R"
lbw_run --uname-release=$R "$PY" -c 'import os, platform; print(os.uname().release); print(platform.release())'
check "python3 os.uname and platform" "$(sort -u "$OUT")" = "$R"
for v in glibc static musl; do
    lbw_run --uname-release=$R "$GUEST_BUILD/$v/lbw_uname_raw"
    n=$(grep -c "release: $R\$" "$OUT")
    check "lbw_uname_raw ($v): exit $RC, $n of 6 lines say $R" "$RC:$n" = "0:6"
    if [ "$n" != 6 ]; then sed 's/^/  /' "$OUT" "$ERR"; fi
done
finish
