# tar: create and list an archive of a temp dir; round trip extraction.
. "$TESTS_DIR/lib.sh"
src=$T/src
mkdir -p "$src/sub/deeper"
seq 1 50000 >"$src/numbers.txt"
head -c 200000 /dev/urandom >"$src/sub/random.bin"
printf 'small\n' >"$src/sub/deeper/small.txt"
: >"$src/empty"
ln -s numbers.txt "$src/link"
chmod 750 "$src/sub"
chmod 600 "$src/sub/deeper/small.txt"
find "$src" -exec touch -h -d @1500000000 {} +

cd "$T" || exit 1
"${LBWCMD[@]}" tar --sort=name -cf lbw.tar -C src . 2>"$T/tar.err"
check "tar create under lbw: exit 0" $? = 0
check "tar create under lbw: no stderr" "$(cat "$T/tar.err")" = ""
tar --sort=name -cf native.tar -C src .
check "archives identical (cmp)" "$(cmp native.tar lbw.tar >/dev/null 2>&1 && echo same)" = same
same_sh "tar cf then tvf, and the archive's checksum" '$L tar --sort=name -cf again.tar -C src . && $L tar tvf again.tar && sha256sum again.tar'
same "tar tvf (native archive)" tar tvf native.tar
same "tar tvf (lbw archive)" tar tvf lbw.tar
same "tar tf | sort" sh -c 'tar tf lbw.tar | sort'
same "tar czf - | tar tzf - (gzip through a pipe)" sh -c 'tar --sort=name -czf - -C src . | tar tzvf -'

mkdir -p out
"${LBWCMD[@]}" tar xf lbw.tar -C out
check "tar extract under lbw exit 0" $? = 0
check "round trip: diff -r" "$(diff -r src out >/dev/null 2>&1 && echo same)" = same
ok=same
for f in numbers.txt sub/random.bin sub/deeper/small.txt empty; do
    cmp -s "src/$f" "out/$f" || ok="differs: $f"
done
check "round trip: cmp of each file ($ok)" "$ok" = same
check "round trip: symlink kept" "$(readlink out/link)" = numbers.txt
check "round trip: mode of sub" "$(stat -c %a out/sub)" = 750
check "round trip: mtime kept" "$(stat -c %Y out/sub/deeper/small.txt)" = 1500000000
finish
