# A program run through its dynamic loader: ld.so is the executable.
. "$TESTS_DIR/lib.sh"
LDSO=/lib64/ld-linux-x86-64.so.2
same "ld.so /bin/ls /" $LDSO /bin/ls /
same "ld.so /bin/echo" $LDSO /bin/echo hello via ld.so
same "ld.so /bin/sh -c pipeline" $LDSO /bin/sh -c 'echo x | tr x y'
same "ld.so --verify /bin/ls" $LDSO --verify /bin/ls
same "ld.so of a missing program" $LDSO /nonexistent
finish
