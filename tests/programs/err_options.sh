# lbw-only: option errors. An unknown option: exit 2 and one line. No
# program: a usage line, exit 2.
. "$TESTS_DIR/lib.sh"
lbw_run --bogus-option true
lines=$(wc -l <"$ERR")
check "--bogus-option: exit 2 (got $RC)" "$RC" = 2
check "--bogus-option: exactly one line on stderr (got $lines)" "$lines" = 1
check "--bogus-option: the line names the option" "$(count bogus-option "$ERR")" = 1
check "--bogus-option: nothing on stdout" ! -s "$OUT"

lbw_run
check "no program: exit 2 (got $RC)" "$RC" = 2
check "no program: a usage line" "$(count '[Uu][Ss][Aa][Gg][Ee]' "$OUT" "$ERR")" -ge 1

lbw_run --
check "only --: exit 2 (got $RC)" "$RC" = 2

lbw_run -- true
check "-- true: exit 0 (got $RC)" "$RC" = 0
lbw_error "-- --bogus-option: a program named --bogus-option is missing" 127 -- --bogus-option
finish
