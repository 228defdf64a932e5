# lbw-only: rename races do not get out of a guest root (root_race.c
# beside this script): a symlink swapped in for a directory component
# (open and read through it), or for the last component of the calls that
# have no form which leaves it alone (truncate, utimes, chdir). Natively,
# in a plain directory, the same program reaches the host's file and
# directory through the symlinks: that run shows the races are real. Under
# lbw -r, no read may give the host's marker, and the host's file and
# directory keep their size and times.
. "$TESTS_DIR/lib.sh"
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
cd "$T" || exit 1
gcc -O2 -static -o root_race "$TESTS_DIR/programs/root_race.c" 2>build.err
check "root_race.c builds ($(head -c 300 build.err))" -x root_race
fresh() { # the host's directory and file, as they start
    rm -rf host native root && mkdir -p host/dir native root/bin && cp root_race root/bin/
    echo "HOST MARKER" >host/dir/marker
    printf '%100s\n' "HOST FILE" >host/file && touch -d '2020-01-01 00:00:00' host/file host/dir
}
times() { stat -c '%s %Y' host/file; stat -c %Y host/dir; }
for mode in walk last; do
    args=("$T/host/dir")
    [ $mode = last ] && args=("$T/host/file" "$T/host/dir")
    fresh
    (cd native && timeout -k 5 30 ../root_race $mode "${args[@]}" 2 >../native.out)
    reached=$(grep -c 'host [1-9]' native.out)
    [ $mode = last ] && reached=$reached$(stat -c %s host/file)$(stat -c %Y host/dir)
    check "$mode: natively the race reaches the host ($(cat native.out); $(times | tr '\n' ' '))" \
        "$reached" = "$([ $mode = last ] && echo 141000000000 || echo 1)"
    fresh
    before=$(times)
    lbw_run -r "$T/root" -w / /bin/root_race $mode "${args[@]}" 4
    check "$mode: exit 0 (got $RC; $(head -c 200 "$ERR"))" "$RC" = 0
    check "$mode: calls were made ($(cat "$OUT"))" "$(grep -c 'guest [1-9]' "$OUT")" = 1
    check "$mode: nothing read the host's marker ($(cat "$OUT"))" "$(grep -c 'host 0$' "$OUT")" = 1
    check "$mode: the host's file and directory kept their size and times ($(echo $before) -> $(echo $(times)))" \
        "$(times)" = "$before"
done
finish
