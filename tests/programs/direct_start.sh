# lbw-only: the first lbw starts the program in its own process (the kernel
# is told the guest's layout with PR_SET_MM_MAP) instead of executing itself
# again: strace sees one execve, lbw's own, for `lbw /bin/true`, and one
# more for each program a guest shell runs.
. "$TESTS_DIR/lib.sh"
strace -f -qq -e signal=none -e trace=execve,execveat -o "$T/st1" "${LBWCMD[@]}" /bin/true
check "lbw /bin/true exits 0" $? = 0
check "one execve: lbw's own ($(head -c 300 "$T/st1"))" "$(grep -cE "exec(ve|veat)\(" "$T/st1")" = 1
strace -f -qq -e signal=none -e trace=execve,execveat -o "$T/st2" "${LBWCMD[@]}" /bin/sh -c '/bin/true; /bin/true'
check "sh running two programs: three execve in all ($(head -c 300 "$T/st2"))" "$(grep -cE "exec(ve|veat)\(" "$T/st2")" = 3
finish
