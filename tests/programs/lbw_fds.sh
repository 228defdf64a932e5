# lbw-only: lbw's own descriptors (its --stats memfd, a --trace file)
# cannot be opened through /proc/self/fd/N or /dev/fd/N by the program,
# with and without a guest root (lbw_fds.c beside this script; in a root
# the link of a file with no name is the kernel's to follow, but never to
# lbw's own).
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
gcc -O2 -o lbw_fds "$TESTS_DIR/programs/lbw_fds.c"
check "lbw_fds.c builds" -x lbw_fds
for opts in "" "-R /"; do
    read -ra o <<<"$opts"
    lbw_run "${o[@]}" --stats --trace="$T/trace" "$T/lbw_fds"
    check "${opts:-no root}: exit 0 (got $RC)" "$RC" = 0
    check "${opts:-no root}: none of lbw's descriptors opened ($(cat "$OUT"))" \
        "$(grep -c 'opened 0$' "$OUT")" = 1
    # (and there were some to try: the --stats memfd, the --trace file)
    check "${opts:-no root}: both of lbw's descriptors found ($(cat "$OUT"))" \
        "$(sed -n 's/.*found \([0-9]*\),.*/\1/p' "$OUT")" -ge 2
done
finish
