# Differential: a program made root by -0 calls chroot after its path
# calls have been rewritten onto the fast path (which, without a guest
# root, hands them straight to the kernel): its later opens and stats
# resolve in the new root, as the kernel's chroot makes them (natively as
# root, or in `unshare -r` for a non-root user); so do the calls that name
# no path but show one (getcwd, an AF_UNIX socket's bind and name).
. "$TESTS_DIR/lib.sh"
if [ "$(id -u)" = 0 ]; then AS=(); else AS=(unshare -r); fi
mkdir -p "$T/newroot/etc"
echo "inside the new root" >"$T/newroot/etc/only-here"
cat >"$T/chroot.py" <<'PY'
import os, socket, sys
for i in range(20):  # hot sites: lbw rewrites them
    os.stat("/etc/passwd")
    os.path.exists("/etc/only-here")
    os.close(os.open("/etc/passwd", os.O_RDONLY))
    os.getcwd()
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(sys.argv[2], "s%d" % i))
    s.getsockname()
    s.close()
os.chdir(sys.argv[1])
os.chroot(sys.argv[1])
print("cwd:", os.getcwd())
s = socket.socket(socket.AF_UNIX)
s.bind("/sock")
print("socket:", s.getsockname(), "in the new root:", os.path.exists("/sock"))
print("only-here:", os.path.exists("/etc/only-here"), "passwd:", os.path.exists("/etc/passwd"))
try:
    fd = os.open("/etc/only-here", os.O_RDONLY)
    print(os.read(fd, 100).decode().strip())
except OSError as e:
    print("open:", e.strerror)
try:
    os.close(os.open("/etc/passwd", os.O_RDONLY))
    print("the host's /etc/passwd was opened")
except OSError as e:
    print("open /etc/passwd:", e.strerror)
PY
_n=$((_n + 1))
a=$T/same.$_n.native b=$T/same.$_n.lbw
rm -rf "$T/binds" && mkdir "$T/binds"
timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" "$PY" "$T/chroot.py" "$T/newroot" "$T/binds" >"$a.out" 2>"$a.err" </dev/null
echo $? >"$a.rc"
rm -rf "$T/binds" "$T/newroot/sock" && mkdir "$T/binds"
timeout -k 5 "$TEST_TIMEOUT" "${LBWCMD[@]}" -0 "$PY" "$T/chroot.py" "$T/newroot" "$T/binds" >"$b.out" 2>"$b.err" </dev/null
echo $? >"$b.rc"
_compare "chroot after hot path calls: native against lbw -0" "$a" "$b"
check "the socket was made in the new root ($(grep socket: "$b.out"))" -S "$T/newroot/sock"
check "the new root's file was read ($(head -c 200 "$b.out" | tr '\n' '|'))" \
    "$(count '^inside the new root$' "$b.out")" = 1
finish
