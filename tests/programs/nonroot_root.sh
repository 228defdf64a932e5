# lbw-only: the rootless chroot as a non-root user (nobody): the user makes
# a small root of their own and runs a shell in it, with a bind, a cwd and
# escape attempts; nothing of the host but the bound /proc is seen.
. "$TESTS_DIR/lib.sh"
# This test sets its own root: keep only --no-rewrite of the runner's flags.
keep=("${LBWCMD[0]}")
for f in "${LBWCMD[@]:1}"; do [ "$f" = --no-rewrite ] && keep+=("$f"); done
LBWCMD=("${keep[@]}")
if [ "$(id -u)" = 0 ]; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    D=$(mktemp -d /tmp/lbw-nonroot.XXXXXX)
    chown 65534:65534 "$D"
    trap 'rm -rf "$D"' EXIT
else
    AS=()
    D=$T
fi
chmod 755 "$D"
"${AS[@]}" sh -c '
  set -e
  mkdir -p "$1/r/bin" "$1/r/etc" "$1/r/proc" "$1/r/home/me"
  cp /bin/busybox "$1/r/bin/"
  for a in sh cat ls id pwd readlink; do ln -s busybox "$1/r/bin/$a"; done
  echo "inside" >"$1/r/etc/motd"
  echo "host only" >"$1/outside"
' sh "$D"
lbw_run_as() { # like lbw_run, as the user
    timeout -k 5 "$TEST_TIMEOUT" "${AS[@]}" "${LBWCMD[@]}" "$@" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
}
OUT=$T/out ERR=$T/err
lbw_run_as -r "$D/r" -b /proc -w /home/me /bin/sh -c '
  id -u; pwd; cat /etc/motd ../../etc/motd /../../../etc/motd
  cat '"$D"'/outside 2>/dev/null || echo "outside: unseen"
  ls / | tr "\n" " "; echo; readlink /proc/self/exe'
check "exit 0 (got $RC; $(head -c 200 "$ERR"))" "$RC" = 0
check "runs as the user, not root" "$(head -1 "$OUT")" != 0
check "cwd is the -w directory" "$(sed -n 2p "$OUT")" = /home/me
check "the root's file three ways" "$(count '^inside$' "$OUT")" = 3
check "the host file is unseen" "$(count '^outside: unseen$' "$OUT")" = 1
check "/ is the root" "$(count '^bin etc home proc $' "$OUT")" = 1
check "/proc/self/exe is the guest's" "$(tail -1 "$OUT")" = /bin/busybox
finish
