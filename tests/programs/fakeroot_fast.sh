# lbw-only: under -0 without a guest root, the path calls that fake root
# does not change (open, unlink, rename...) are rewritten onto the fast
# path like everything else, straight to the kernel; those it changes
# (stat and the owner calls, table status OWNER; the id calls) are
# rewritten to enter lbw's dispatcher without a trap, which still shows
# fake owners and ids. A site is rewritten after 16 traps (trap/rewrite.c):
# 100 calls, at least 80 of them fast.
# The runner's flags are left out on purpose: this is about the default
# (rewriting on, no root); the semantics are fakeroot.sh's, in every pass.
. "$TESTS_DIR/lib.sh"
LBW0=${LBWCMD[0]}
"$LBW0" -0 --stats python3 -c '
import os
for i in range(100):
    fd = os.open("/etc/passwd", os.O_RDONLY)
    os.close(fd)
    st = os.stat("/etc/passwd")
    uid = os.getuid()
print(st.st_uid, uid)' >"$T/out" 2>"$T/stats"
check "python3 under -0 exits 0 and sees uid 0 ($(cat "$T/out"))" "$(cat "$T/out")" = "0 0"
read -r open_trap open_fast <<<"$(stats_row openat "$T/stats")"
read -r stat_trap stat_fast <<<"$(stats_row newfstatat "$T/stats")"
check "openat goes fast under -0 (trap ${open_trap:-?}, fast ${open_fast:-?})" "${open_fast:-0}" -ge 80
read -r uid_trap uid_fast <<<"$(stats_row getuid "$T/stats")"
check "newfstatat is served by lbw on the fast path under -0 (trap ${stat_trap:-?}, fast ${stat_fast:-?})" "${stat_fast:-0}" -ge 80
check "so is getuid (trap ${uid_trap:-?}, fast ${uid_fast:-?})" "${uid_fast:-0}" -ge 80
finish
