# lbw-only: --stats prints a table of calls and time per syscall at exit.
. "$TESTS_DIR/lib.sh"
lbw_run --stats true
check "--stats true: exit 0 (got $RC)" "$RC" = 0
check "--stats: nothing on stdout" ! -s "$OUT"
check "--stats: stderr mentions exit_group" "$(count exit_group "$ERR")" -ge 1
check "--stats: stderr mentions calls" "$(count '[Cc][Aa][Ll][Ll][Ss]' "$ERR")" -ge 1
lbw_run --stats sh -c 'exit 3'
check "--stats keeps the exit status (got $RC)" "$RC" = 3
finish
