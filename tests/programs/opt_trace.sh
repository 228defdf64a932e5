# lbw-only: --trace=FILE writes one strace-like line per guest syscall.
. "$TESTS_DIR/lib.sh"
tf=$T/trace.txt
lbw_run --trace="$tf" true
check "--trace=FILE true: exit 0 (got $RC)" "$RC" = 0
check "--trace=FILE: nothing on stdout" ! -s "$OUT"
check "--trace=FILE: the file exists and is not empty" -s "$tf"
has=no
if [ "$(count '^[0-9]+ execve\(|exit_group\(0\)' "$tf")" -ge 1 ]; then has=yes; fi
check "trace has a line '^PID execve(' or 'exit_group(0)'" "$has" = yes
[ "$has" = yes ] || head -n 5 "$tf" 2>/dev/null | sed 's/^/  trace: /'

# strings, flags by name and errno names are decoded
tf2=$T/trace2.txt
lbw_run --trace="$tf2" cat /etc/hostname /nonexistent-lbw-trace
check "cat under --trace: exit 1 (got $RC)" "$RC" = 1
check "trace shows the path as a string" "$(count '"/etc/hostname"' "$tf2")" -ge 1
check "trace shows O_RDONLY by name" "$(count 'O_RDONLY' "$tf2")" -ge 1
check "trace shows ENOENT for the missing file" "$(count '/nonexistent-lbw-trace.*ENOENT' "$tf2")" -ge 1
check "the program's own output is unchanged" "$(cat "$OUT")" = "$(cat /etc/hostname)"
finish
