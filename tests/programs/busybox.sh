# busybox (static) applets.
. "$TESTS_DIR/lib.sh"
BB=/bin/busybox
seq 1 3000 >"$T/f"
same "busybox sh -c loop and pipe" $BB sh -c 'for i in 1 2 3; do echo "n $i"; done | '"$BB"' wc -l; echo done'
same "busybox sh -c with builtins" $BB sh -c 'x=5; y=$((x * 7)); echo $y; test $y -gt 30 && echo big'
same "busybox ls /" $BB ls /
same "busybox ls -l of a file" $BB ls -l "$T/f"
same "busybox wc" $BB wc "$T/f"
same "busybox sha256sum" $BB sha256sum "$T/f"
same "busybox md5sum from stdin" sh -c "$BB md5sum < $T/f"
same "busybox sort -rn | head" sh -c "$BB sort -rn $T/f | $BB head -3"
same "busybox uname -s -m" $BB uname -s -m
same "busybox false" $BB false
same "busybox applet via argv[0] name (sh -c exec -a)" bash -c "exec -a echo $BB hi there"
finish
