# sh -c with a pipeline: every process of it runs under lbw.
. "$TESTS_DIR/lib.sh"
same "sh -c 'echo a b c | tr a-z A-Z | sort -r | head -2'" sh -c 'echo a b c | tr a-z A-Z | sort -r | head -2'
same "sh -c with several lines" sh -c 'printf "x\ny\nz\nw\n" | tr a-z A-Z | sort -r | head -2'
same "sh -c subshells and status" sh -c '(exit 3); echo "status $?"; false || echo "or"; true && echo and'
same "sh -c command substitution" sh -c 'a=$(echo inner); echo "got $a $(uname -s)"'
same "sh -c here-document" sh -c 'cat <<X
line one
line two
X'
same "bash -c with a for loop and arithmetic" bash -c 'for i in 1 2 3 4 5; do echo $((i * i)); done | paste -sd+'
same "sh -c redirections" sh -c "echo to-file > $T/redir.txt; cat $T/redir.txt; echo err >&2"
finish
