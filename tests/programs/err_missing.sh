# lbw-only: a missing program gives exit 127 and one line "lbw: ...".
. "$TESTS_DIR/lib.sh"
lbw_error "missing absolute path" 127 /nonexistent/program
lbw_error "missing relative path" 127 ./no-such-program-here
lbw_error "not found in PATH" 127 no-such-program-lbw-test
finish
