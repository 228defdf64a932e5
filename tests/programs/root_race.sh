# lbw-only: a rename race does not get out of a guest root (root_race.c
# beside this script). Natively, in a plain directory, the same program
# reaches the host directory through the symlink: that run shows the race
# is real. Under lbw -r, no read may give the host's file.
. "$TESTS_DIR/lib.sh"
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
cd "$T" || exit 1
gcc -O2 -static -o root_race "$TESTS_DIR/programs/root_race.c" 2>build.err
check "root_race.c builds ($(head -c 300 build.err))" -x root_race
mkdir -p host native root/bin
echo "HOST MARKER" >host/marker
(cd native && timeout -k 5 30 ../root_race "$T/host" 2 >../native.out)
check "natively the symlink reaches the host file" "$(grep -c 'host [1-9]' native.out)" = 1
cp root_race root/bin/
lbw_run -r "$T/root" -w / /bin/root_race "$T/host" 4
check "exit 0 (got $RC; $(head -c 200 "$ERR"))" "$RC" = 0
check "reads were made ($(cat "$OUT"))" "$(grep -c 'guest [1-9]' "$OUT")" = 1
check "no read reached the host's file ($(cat "$OUT"))" "$(grep -c 'host 0$' "$OUT")" = 1
finish
