# cat: of files, from stdin, of /proc/self/cmdline (the guest's argv).
. "$TESTS_DIR/lib.sh"
seq 1 20000 >"$T/numbers"
printf 'no newline at the end' >"$T/nonl"
head -c 300000 /dev/urandom >"$T/random.bin"
same "cat a file" cat "$T/numbers"
same "cat two files" cat "$T/numbers" "$T/nonl"
same "cat binary file" cat "$T/random.bin"
STDIN=$T/numbers
same "cat from stdin" cat
same "cat - from stdin" cat - "$T/nonl"
STDIN=/dev/null
same "cat of a missing file" cat "$T/missing"
same "cat /proc/self/cmdline" cat /proc/self/cmdline
same "cat -n of /etc/hostname" cat -n /etc/hostname
finish
