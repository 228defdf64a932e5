# A program killed by a signal: the shell must see the same status under lbw
# (lbw exits 128+N, or dies of the same signal). Only statuses and the
# program's own output are compared: the calling shell's "Terminated" report
# depends on which of the two lbw chose.
. "$TESTS_DIR/lib.sh"
same "sh -c 'kill -TERM \$\$'" sh -c 'kill -TERM $$'
same "sh -c 'kill -KILL \$\$'" sh -c 'kill -KILL $$'
same "sh -c 'kill -INT \$\$'" sh -c 'kill -INT $$'
same "sh -c 'kill -SEGV \$\$'" sh -c 'kill -SEGV $$'
same "sh -c 'kill -USR1 \$\$'" sh -c 'kill -USR1 $$'
same "sh -c 'kill -ABRT \$\$'" sh -c 'kill -ABRT $$'
same_sh "\$? as the calling shell sees it" 'exec 2>/dev/null; $L sh -c "echo before; kill -TERM \$\$; echo after"; echo "status $?"'
cat >"$T/inner.sh" <<'S'
sh -c 'kill -HUP $$'
echo "inner status $?"
sh -c 'kill -TERM $$'
echo "inner status $?"
S
same "a killed child inside sh" sh "$T/inner.sh"
same_sh "SIGPIPE in a pipeline" '$L yes | head -3; echo "${PIPESTATUS[@]}"'
same_sh "SIGPIPE, a child of lbw" '$L sh -c "yes | head -2; echo done"'
# Ignored signals survive execve, lbw's own (SIGSEGV, SIGBUS, SIGSYS)
# included: by exec in place (exec) and by lbw's re-execution (dash's vfork).
ign='import signal as s; print([s.getsignal(x).name for x in (s.SIGSEGV, s.SIGBUS, s.SIGSYS, s.SIGUSR1, s.SIGTERM)])'
same "ignored signals across exec" sh -c "trap '' SEGV BUS SYS USR1; exec python3 -c '$ign'"
same "ignored signals across vfork and exec" sh -c "trap '' SEGV BUS SYS USR1; python3 -c '$ign'; true"
# ... and those lbw itself was started with (asked of the kernel)
same_sh "ignored signals lbw starts with" "trap '' SEGV BUS SYS USR1 TERM; \$L $PY -c '$ign'"
finish
