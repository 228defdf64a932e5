# The environment passes through unchanged (nothing added, nothing lost).
. "$TESTS_DIR/lib.sh"
same_sh "env -i A=1 B='two words' env" 'env -i A=1 "B=two words" PATH=/usr/bin:/bin $L env'
same_sh "env -i ... sh -c 'env | sort'" 'env -i A=1 C=3 PATH=/usr/bin:/bin HOME=/nonexistent $L sh -c "env | sort"'
same_sh "empty environment" 'env -i $L /usr/bin/env'
same "env | sort (the whole test environment)" sh -c 'env | grep -v "^_=" | sort'
same_sh "a variable set for one command" 'FOO=bar $L sh -c "echo \$FOO"'
same_sh "unset variable stays unset" 'unset HOME; $L sh -c "echo \${HOME-unset}"'
finish
