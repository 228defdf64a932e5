# lbw-only: a guest root (-r) keeps an ordinary program inside: `..` past
# the root, absolute and relative symlinks, symlink loops, /proc/self/root,
# /proc/self/cwd, /proc/self/fd of a directory, an fd opened outside, #!
# interpreters, AF_UNIX socket paths: none of them reach a host file that
# was not bound.
. "$TESTS_DIR/lib.sh"
# This test sets its own root: keep only --no-rewrite of the runner's flags
# (a -R / from LBW_FLAGS would bind the host's /tmp, where $T lives).
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
R=$T/root
mkdir -p "$R/bin" "$R/etc" "$R/tmp" "$R/proc" "$R/d/e/f"
cp /bin/busybox "$R/bin/"
for a in sh cat ls readlink ln pwd echo test; do ln -s busybox "$R/bin/$a"; done
echo "guest secret" >"$R/etc/secret"
echo "HOST MARKER" >"$T/marker"            # outside the root: must stay unseen
echo "HOST MARKER" >"$T/etc-secret-host"
ln -s /etc/secret "$R/tmp/abs"             # absolute: relative to the guest root
ln -s ../../../../../../../../../etc/secret "$R/tmp/rel"
ln -s "$T/marker" "$R/tmp/hostabs"         # a host path: means nothing inside
ln -s loop2 "$R/tmp/loop1"; ln -s loop1 "$R/tmp/loop2"
printf '#!/../../../../bin/sh\necho script ran in $(pwd)\n' >"$R/bin/script"; chmod +x "$R/bin/script"
rel=$(realpath --relative-to="$R/d/e/f" "$T/marker")

lbw_run -r "$R" -b /proc -w /d/e/f /bin/sh -c "
  cat /../../../../etc/secret; cat ../../../../../../etc/secret
  cat $rel 2>/dev/null || echo 'relative host path: unseen'
  cat /tmp/abs /tmp/rel; cat /tmp/hostabs 2>/dev/null || echo 'host symlink: unseen'
  cat /tmp/loop1 2>&1 | grep -q -i 'symbolic links' && echo 'loop: ELOOP'
  cat /proc/self/root/etc/secret; ls /proc/self/root/ | tr '\n' ' '; echo
  readlink /proc/self/root; readlink /proc/self/cwd
  cd /proc/self/cwd && pwd -P; cd /d/e/f
  exec 3</
  cat /proc/self/fd/3/etc/secret; cat /proc/self/fd/3/../../../etc/secret
  readlink /proc/self/fd/3
  /bin/script
  cat $T/marker 2>/dev/null || echo 'absolute host path: unseen'
" 5<"$T"
check "exit 0 (got $RC)" "$RC" = 0
check "no host file was read" "$(count 'HOST MARKER' "$OUT")" = 0
check "guest file through every route (7 times)" "$(count '^guest secret$' "$OUT")" = 7
check "host paths are unseen (3)" "$(count 'unseen$' "$OUT")" = 3
check "symlink loop gives ELOOP" "$(count '^loop: ELOOP$' "$OUT")" = 1
check "/proc/self/root lists the guest root" "$(count '^bin d etc proc tmp $' "$OUT")" = 1
check "/proc/self/root and /proc/self/fd/3 read as /" "$(count '^/$' "$OUT")" -ge 2
check "/proc/self/cwd is the guest cwd" "$(count '^/d/e/f$' "$OUT")" -ge 2
check "#! interpreter resolved in the root" "$(count '^script ran in /d/e/f$' "$OUT")" = 1

# An fd opened on the host outside the root (fd 5 above is $T): relative
# lookups from it are resolved in the guest's namespace, not the host's.
lbw_run -r "$R" -b /proc /bin/sh -c 'cat /proc/self/fd/5/marker 2>/dev/null || echo fd-outside: unseen' 5<"$T"
check "an fd from outside does not open the host directory's files" "$(count 'HOST MARKER' "$OUT")" = 0
# AF_UNIX: a socket listening on the host is not reached by its host path,
# a symlink to it or `..`; a socket bound inside is made inside the root
# and named with its guest path.
$PY -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8); time.sleep(30)' "$T/host.sock" &
server=$!
for i in $(seq 50); do [ -S "$T/host.sock" ] && break; sleep 0.1; done
ln -s "$T/host.sock" "$R/tmp/sockln"
lbw_run -r "$R" -b /usr -b /lib -b /lib64 -b /proc /usr/bin/python3 -c '
import socket, sys
for p in [sys.argv[1], "/tmp/sockln", "../../../../../../.." + sys.argv[1]]:
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(p); print("reached", p)
    except OSError as e:
        print("unreachable", e.errno)
s = socket.socket(socket.AF_UNIX); s.bind("/inside.sock"); print("bound", s.getsockname())
c = socket.socket(socket.AF_UNIX); s.listen(1); c.connect("/tmp/../inside.sock"); print("peer", c.getpeername())
' "$T/host.sock"
kill $server 2>/dev/null; wait $server 2>/dev/null
check "python3 in the root ran (got $RC; $(head -c 300 "$ERR"))" "$RC" = 0
check "the host's socket is not reached" "$(count '^reached' "$OUT")" = 0
check "three ways, all ENOENT" "$(count '^unreachable 2$' "$OUT")" = 3
check "a bound socket is named by its guest path" "$(count '^bound /inside.sock$' "$OUT")" = 1
check "the peer's name is its guest path" "$(count '^peer /inside.sock$' "$OUT")" = 1
check "the socket file is inside the root" "$(test -S "$R/inside.sock" && echo yes)" = yes
finish
