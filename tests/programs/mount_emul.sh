# lbw-only: mounts made by a guest that is root (-0) in a guest root are
# emulated as lbw binds: a bind mount shows its source at the mount point
# (for this process and its children), proc mounts the host's /proc,
# umount takes the bind away again, a new file system (tmpfs) is refused
# with EPERM; and nothing changes on the host.
. "$TESTS_DIR/lib.sh"
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
R=$T/root
mkdir -p "$R/src" "$R/mnt" "$R/p" "$R/usr" "$R/lib" "$R/lib64" "$R/proc"
echo "bound file" >"$R/src/f"
# python3 from the host, bound in, makes the mount(2) calls itself: an
# emulated mount lives in the process that made it and its children.
lbw_run -0 -r "$R" -b /usr -b /lib -b /lib64 /usr/bin/python3 -c '
import ctypes, os, subprocess
libc = ctypes.CDLL(None, use_errno=True)
def mount(src, dst, fstype, flags):
    r = libc.mount(src, dst, fstype, ctypes.c_ulong(flags), None)
    return 0 if r == 0 else ctypes.get_errno()
MS_BIND = 4096
print("bind", mount(b"/src", b"/mnt", None, MS_BIND))
print(open("/mnt/f").read().strip())
print("child:", subprocess.run(["/usr/bin/cat", "/mnt/f"], capture_output=True, text=True).stdout.strip())
print("proc", mount(b"proc", b"/p", b"proc", 0), open("/p/self/comm").read().strip())
print("umount", libc.umount2(b"/mnt", 0), len(os.listdir("/mnt")))
print("tmpfs", mount(b"none", b"/mnt", b"tmpfs", 0))
print("umount again", libc.umount2(b"/mnt", 0), ctypes.get_errno())
'
check "exit 0 (got $RC; $(head -c 300 "$ERR"))" "$RC" = 0
check "the bind mount succeeds" "$(count '^bind 0$' "$OUT")" = 1
check "the bind shows its source" "$(count '^bound file$' "$OUT")" = 1
check "a child sees the bind" "$(count '^child: bound file$' "$OUT")" = 1
check "proc is the host's /proc" "$(count '^proc 0 python3$' "$OUT")" = 1
check "umount takes the bind away" "$(count '^umount 0 0$' "$OUT")" = 1
check "tmpfs gets EPERM" "$(count '^tmpfs 1$' "$OUT")" = 1
check "umount of a plain directory gets EINVAL" "$(count '^umount again -1 22$' "$OUT")" = 1
check "the host's mount point is untouched" "$(ls "$R/mnt" | wc -l)" = 0
finish
