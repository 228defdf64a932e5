# stdin passes through, from a pipe, a file, or a terminal-less /dev/null.
. "$TESTS_DIR/lib.sh"
head -c 1000000 /dev/urandom >"$T/big"
printf 'first\nsecond\n' >"$T/two"
same_sh "pipe into cat" 'printf "abc\ndef\n" | $L cat'
same_sh "file into sha256sum" '$L sha256sum < "'"$T/big"'"'
same_sh "1 MB through a pipe into wc -c" 'cat "'"$T/big"'" | $L wc -c'
same_sh "read in sh" '$L sh -c "read a; read b; echo \"\$b \$a\"" < "'"$T/two"'"'
same_sh "stdin is /dev/null" '$L wc -c < /dev/null'
same_sh "closed stdin" '$L sh -c "cat; echo status \$?" <&-'
same_sh "head then the rest (shared offset)" '{ $L head -n 1; cat; } < "'"$T/two"'"'
finish
