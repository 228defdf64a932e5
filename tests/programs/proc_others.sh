# /proc/PID/... of another process that lbw runs tells that process's
# story, as natively: its exe link names its program (to the kernel it is
# lbw), by readlink, through the task directory, and when opened; its
# cmdline and cwd are its own.
. "$TESTS_DIR/lib.sh"
mkdir -p "$T/elsewhere"
same_sh "exe, cmdline and cwd of another guest process" '
cd "'"$T"'/elsewhere" && $L bash -c '"'"'
sleep 5 & p=$!
sleep 0.5
cd /
readlink /proc/$p/exe
readlink /proc/$p/task/$p/exe
ls -l /proc/$p/exe | sed "s/.*-> //"
cmp /proc/$p/exe /usr/bin/sleep && echo "opens as the program"
tr "\0" " " </proc/$p/cmdline; echo
readlink /proc/$p/cwd | sed "s|.*/||"
kill $p'"'"'
'
finish
