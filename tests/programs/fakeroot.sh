# Fake root (-0), differential: the same script run natively by the real
# root and under `lbw -0` by a non-root user (nobody) gives the same output:
# ids, chown/chmod/mknod (also -R: by a directory's descriptor and a
# name), set-id bits dropped by chown, a mode-000 file
# still readable and writable, tar round trip, root-only xattrs, and
# dropping privileges for good. Then, in later lbw runs, what was set is
# still seen, also after an lbw killed right after a chown.
. "$TESTS_DIR/lib.sh"
if [ "$(id -u)" != 0 ]; then
    echo "fakeroot.sh: run as root (it compares with the real root and makes a non-root user)" >&2
    exit 1
fi
AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
N=$(mktemp -d /tmp/lbw-fake-native.XXXXXX)
D=$(mktemp -d /tmp/lbw-fake.XXXXXX)
trap 'rm -rf "$N" "$D"' EXIT
chown 65534:65534 "$D"
chmod 755 "$D" "$N"
mkdir "$N/w"
"${AS[@]}" mkdir "$D/w"

code='
set -e
cd "$1"
touch f; chown 12:34 f; chmod 4711 f
mkdir dir; chown 7:8 dir; chmod 1750 dir
touch g; chown 1:1 g; chown 2 g; chgrp 3 g
touch s; chmod 6755 s; chown 3:3 s
touch z; chmod 000 z; echo data >z; cat z
mknod c c 1 3; mknod b b 8 1; mkfifo p; ln -s f link
list() { stat -c "%n %u %g %a %F %t %T %s" * | sort; }
list
mkdir -p tree/a/b; touch tree/a/f tree/a/b/g; chown -R 21:22 tree; chmod -R 750 tree
find tree -exec stat -c "%n %u %g %a" {} + | sort; rm -r tree
ls -ln | awk "NR>1 {print \$1, \$3, \$4, \$NF}"
tar --numeric-owner -cf ../t.tar .
tar --numeric-owner -tvf ../t.tar | awk "{print \$1, \$2, \$NF}" | sort
mkdir ../x; cd ../x; tar --numeric-owner -xpf ../t.tar; list; cd ../w
id -u; id -g; id -G; id -un
setfattr -n trusted.t -v hi f; getfattr -n trusted.t --only-values f; echo
getfattr -d -m - f dir | sed /^$/d
/usr/bin/python3 -c "
import os
os.setgroups([]); os.setresgid(100, 100, 100); os.setresuid(100, 100, 100)
print(os.getresuid(), os.getresgid(), os.getgroups(), os.geteuid())
try:
    os.setuid(0); print(\"root again\")
except PermissionError:
    print(\"cannot become root again\")
"
'
_n=1
a=$T/fake.native b=$T/fake.lbw
timeout -k 5 "$TEST_TIMEOUT" bash -c "$code" sh "$N/w" >"$a.out" 2>"$a.err" </dev/null
echo $? >"$a.rc"
timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" "${LBWCMD[@]}" -0 /bin/bash -c "$code" sh "$D/w" >"$b.out" 2>"$b.err" </dev/null
echo $? >"$b.rc"
_n=$((_n + 1))
if _compare "root natively and nobody under lbw -0 agree" "$a" "$b"; then _n=$_n; else _fails=$((_fails + 1)); fi
check "the script ran to its end" "$(tail -1 "$b.out")" = "cannot become root again"

# Remembered: a later lbw sees what the first one set; the host does not.
list='cd "$1"; stat -c "%n %u %g %a %F %t %T %s" * | sort'
bash -c "$list" sh "$N/w" >"$T/later.native"
"${AS[@]}" "${LBWCMD[@]}" -0 /bin/bash -c "$list" sh "$D/w" >"$T/later.lbw" 2>&1
check "a later lbw -0 sees the owners, modes and devices" "$(cmp -s "$T/later.native" "$T/later.lbw" && echo same)" = same
check "the host sees the user's plain files" "$(stat -c '%u %F' "$D/w/c")" = "65534 regular empty file"
check "the host keeps the owner's access to a mode-000 file" "$(stat -c %a "$D/w/z")" = 600

# Acknowledged is kept: lbw killed right after the chown.
"${AS[@]}" "${LBWCMD[@]}" -0 /bin/bash -c 'chown 9:10 "$1/w/g"; kill -9 $$' sh "$D" >/dev/null 2>&1 &
wait $! 2>/dev/null
check "lbw was killed" $? = 137
check "a chown survives lbw killed after it" "$("${AS[@]}" "${LBWCMD[@]}" -0 stat -c '%u %g' "$D/w/g")" = "9 10"

# Without -0 the user is seen as the user, whatever was recorded.
check "without -0 nothing is faked" "$("${AS[@]}" "${LBWCMD[@]}" stat -c '%u %g' "$D/w/f")" = "65534 65534"
finish
