# An interactive shell in a real terminal: bash --norc -i in a tmux pane,
# once natively (to prove the test itself) and once under lbw. Typed keys:
# `cat` then Ctrl-C, `sleep 100` then Ctrl-C, `sleep 100` then Ctrl-Z, `fg`,
# Ctrl-C, `exit 3`. After each step the screen must show the prompt again
# and `echo st=$?` the status bash saw (130 for Ctrl-C, 148 for Ctrl-Z),
# "Stopped" after Ctrl-Z, and the shell must exit with status 3.
# Waiting is polling for a condition on the screen or in /proc (the
# foreground process of the pane's terminal), with a deadline; no fixed
# sleeps stand in for synchronisation.
_own_tmp=${TESTS_TMP:-}
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
if ! command -v tmux >/dev/null; then
    echo "FAIL: tmux is missing (tests/deps.sh installs it)"
    exit 1
fi

SOCK=$T/tmux.sock
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
# the tmux server never outlives the script, whichever way it ends
trap 'tm kill-server 2>/dev/null; [ -n "$_own_tmp" ] || rm -rf "$T"' EXIT
trap 'exit 143' TERM INT HUP
screen() { tm capture-pane -p -t t -S -200 2>/dev/null; }

# wait_for DESC CMD...: poll CMD until it succeeds, for up to 20 s
wait_for() {
    local desc=$1 i
    shift
    for ((i = 0; i < 400; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    echo "FAIL: [$MODE] timed out waiting for: $desc"
    echo "  screen:"
    screen | grep -v '^$' | tail -15 | sed 's/^/  | /'
    return 1
}
# the screen has at least N lines matching REGEX
screen_has() { [ "$(screen | grep -cE -- "$2")" -ge "$1" ]; }
prompts() { screen | grep -cE '^LBWPS\$( |$)'; }
# the terminal's foreground process group has a process whose argv is $1,
# asleep (S) or stopped (T) as $2 says; its session is the pane's
foreground() {
    local want=$1 state=$2 d stat rest pgrp sid tpgid cmd
    for d in /proc/[0-9]*; do
        stat=$(cat "$d/stat" 2>/dev/null) || continue
        rest=${stat##*) }
        read -r st _ pgrp sid _ tpgid _ <<<"$rest"
        [ "$sid" = "$PANE_SID" ] || continue
        cmd=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)
        [ "$cmd" = "$want " ] || continue
        [ "$st" = "$state" ] || continue
        [ "$state" = T ] || [ "$pgrp" = "$tpgid" ] || continue
        return 0
    done
    return 1
}

run_session() { # run_session MODE PREFIX...: the whole dialogue; 0 when every step behaved
    dialogue "$@"
    local rc=$?
    screen >"$T/screen.$MODE"
    tm kill-server 2>/dev/null
    return $rc
}

dialogue() {
    MODE=$1
    shift
    local ok=0
    tm kill-server 2>/dev/null
    rm -f "$T/status.$MODE"
    # the pane runs a wrapper that records the shell's exit status
    tm new-session -d -s t -x 120 -y 50 \
        "env -i PATH=\"$PATH\" HOME=\"$T\" TERM=screen PS1='LBWPS\$ ' $* bash --norc --noprofile -i; echo \$? >\"$T/status.$MODE\"; sleep 60" ||
        { echo "FAIL: [$MODE] tmux new-session"; return 1; }
    PANE_SID=$(tm display-message -p -t t '#{pane_pid}')
    wait_for "the first prompt" screen_has 1 '^LBWPS\$( |$)' || return 1

    # 1. cat, reading the terminal; Ctrl-C
    tm send-keys -t t 'cat' Enter
    wait_for "cat in the foreground" foreground cat S || return 1
    tm send-keys -t t 'typed-line' Enter
    wait_for "cat echoing a line" screen_has 2 '^typed-line$' || return 1
    tm send-keys -t t C-c
    wait_for "the prompt after Ctrl-C on cat" eval '[ "$(prompts)" -ge 2 ]' || return 1
    tm send-keys -t t 'echo st1=$?' Enter
    wait_for "status 130 after Ctrl-C on cat" screen_has 1 '^st1=130$' || ok=1

    # 2. sleep 100; Ctrl-C
    tm send-keys -t t 'sleep 100' Enter
    wait_for "sleep in the foreground" foreground 'sleep 100' S || return 1
    tm send-keys -t t C-c
    wait_for "the prompt after Ctrl-C on sleep" eval '[ "$(prompts)" -ge 4 ]' || return 1
    tm send-keys -t t 'echo st2=$?' Enter
    wait_for "status 130 after Ctrl-C on sleep" screen_has 1 '^st2=130$' || ok=1

    # 3. sleep 100; Ctrl-Z; fg; Ctrl-C
    tm send-keys -t t 'sleep 100' Enter
    wait_for "the second sleep in the foreground" foreground 'sleep 100' S || return 1
    tm send-keys -t t C-z
    wait_for "Stopped after Ctrl-Z" screen_has 1 'Stopped +sleep 100' || return 1
    wait_for "the sleep stopped (state T)" foreground 'sleep 100' T || ok=1
    wait_for "the prompt after Ctrl-Z" eval '[ "$(prompts)" -ge 6 ]' || return 1
    tm send-keys -t t 'echo st3=$?' Enter
    wait_for "status 148 after Ctrl-Z" screen_has 1 '^st3=148$' || ok=1
    tm send-keys -t t 'fg' Enter
    wait_for "sleep back in the foreground after fg" foreground 'sleep 100' S || return 1
    tm send-keys -t t C-c
    wait_for "the prompt after Ctrl-C on the resumed sleep" eval '[ "$(prompts)" -ge 8 ]' || return 1
    tm send-keys -t t 'echo st4=$?; jobs; echo jobs-listed' Enter
    wait_for "status 130 after fg and Ctrl-C" screen_has 1 '^st4=130$' || ok=1
    wait_for "no jobs left" screen_has 1 '^jobs-listed$' || ok=1

    # 4. exit 3
    tm send-keys -t t 'exit 3' Enter
    wait_for "the shell's exit" test -s "$T/status.$MODE" || return 1
    check "[$MODE] the shell exited with status 3" "$(cat "$T/status.$MODE")" = 3
    return $ok
}

run_session native
check "native: every step behaved (the test itself is right)" $? = 0
run_session lbw "${LBWCMD[@]}"
check "under lbw: every step behaved" $? = 0
# the two screens tell the same story
for m in native lbw; do
    grep -E '^(st[0-9]=|\[1\]|LBWPS\$ [a-z])' "$T/screen.$m" 2>/dev/null | sed 's/ \{2,\}/ /g' >"$T/story.$m"
done
if ! cmp -s "$T/story.native" "$T/story.lbw"; then
    echo "MISMATCH: the screens differ (- native, + lbw):"
    diff -u "$T/story.native" "$T/story.lbw" | tail -n +3 | sed 's/^/  /'
    _fails=$((_fails + 1))
else
    echo "ok: the same dialogue on both screens"
fi
finish
