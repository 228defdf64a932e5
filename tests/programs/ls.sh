# ls: `ls -l /` and friends, natively and under lbw.
. "$TESTS_DIR/lib.sh"
# the link count of /proc follows the number of processes on the machine,
# and /tmp changes whenever anything on the machine makes a temporary file:
# mask those two lines
export MASK='/ proc$/s/^([^ ]+ +)[0-9]+/\1N/; / tmp$/s/^.*$/(tmp masked)/'
same_retry "ls -l / (/proc and /tmp masked)" sh -c 'ls -l / | sed -E "$0"' "$MASK"
same_sh "ls -l / directly under lbw, masked afterwards" '$L ls -l / | sed -E "$MASK"'
same "ls /usr/bin" ls /usr/bin
same "ls -la --time-style=+%s /usr/lib/x86_64-linux-gnu (first lines)" sh -c 'ls -la --time-style=+%s /usr/lib/x86_64-linux-gnu | head -50'
same "ls -ld / /usr /etc" ls -ld / /usr /etc
same "ls of a missing file" ls /nonexistent-lbw-test
mkdir -p "$T/tree/a/b" && touch -d @1000000000 "$T/tree/f1" "$T/tree/a/f2" "$T/tree/a/b/f3" && ln -sf f1 "$T/tree/link"
touch -d @1000000000 "$T/tree/a/b" "$T/tree/a" "$T/tree"
same "ls -lR of a made tree" ls -lR --time-style=+%s "$T/tree"
same "ls -i (inode numbers)" ls -i "$T/tree"
finish
