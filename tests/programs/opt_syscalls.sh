# lbw-only: --syscalls lists every x86-64 syscall once, with its status, then
# a summary of the counts. x86-64 Linux defines about 380 calls (0-336 and
# 424 up to the current end, 469 in Linux 6.18; 337-423 are unused), so a
# complete list has at least 370 entries and reaches past 450.
. "$TESTS_DIR/lib.sh"
lbw_run --syscalls
entries=$(grep -cE '^ *[0-9]+ +[a-z_0-9]+' "$OUT")
top=$(grep -oE '^ *[0-9]+ +[a-z_0-9]+' "$OUT" | awk '{print $1}' | sort -n | tail -1)
dups=$(grep -oE '^ *[0-9]+ +[a-z_0-9]+' "$OUT" | awk '{print $1}' | sort -n | uniq -d | head -3 | tr '\n' ' ')
check "--syscalls: exit 0 (got $RC)" "$RC" = 0
check "--syscalls: at least 370 entries (got $entries)" "${entries:-0}" -ge 370
check "--syscalls: reaches number 450 or more (got ${top:-none})" "${top:-0}" -ge 450
check "--syscalls: one entry per number (duplicates: ${dups:-none})" -z "$dups"
for c in read write openat execve clone3 io_uring_setup; do
    check "--syscalls lists $c" "$(count "^ *[0-9]+ +$c\\b" "$OUT")" -ge 1
done
check "--syscalls ends with a summary of counts" \
    "$(tail -n 5 "$OUT" | grep -iE 'total|summary|implemented|emulated|passthrough|unsupported' | grep -c '[0-9]')" -ge 1
finish
