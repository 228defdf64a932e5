# lbw-only: --check tells whether this kernel has what lbw needs.
. "$TESTS_DIR/lib.sh"
lbw_run --check
check "--check: exit 0 (got $RC)" "$RC" = 0
check "--check mentions Syscall User Dispatch" "$(count 'Syscall User Dispatch' "$OUT" "$ERR")" -ge 1
finish
