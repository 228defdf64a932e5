# sort: 100000 generated lines; single-threaded and default (threads).
. "$TESTS_DIR/lib.sh"
awk 'BEGIN { x = 12345; for (i = 0; i < 100000; i++) { x = (x * 1103515245 + 12345) % 2147483648; printf "%d line-%d %c\n", x % 100003, i, 97 + x % 26 } }' >"$T/in"
check "input has 100000 lines" "$(wc -l <"$T/in")" = 100000
same "sort --parallel=1" sort --parallel=1 "$T/in"
same "sort (default, may use threads)" sort "$T/in"
same "sort -n -k1,1 -k2 --parallel=2" sort -n -k1,1 -k2 --parallel=2 "$T/in"
same "sort -u -k3 -t' '" sort -u -k3,3 -t ' ' "$T/in"
mkdir -p "$T/sorttmp"
same "sort -S 1M with temp files (external merge)" sort -S 1M -T "$T/sorttmp" "$T/in"
STDIN=$T/in
same "sort -r from stdin" sort -r
finish
