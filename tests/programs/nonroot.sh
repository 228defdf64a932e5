# As a non-root user (nobody), where the feature is about running without
# root: ordinary programs work and permissions are the real ones.
. "$TESTS_DIR/lib.sh"
if [ "$(id -u)" = 0 ]; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    AS=()
fi
cd / || exit 1
asq=$(printf '%q ' "${AS[@]}")
same_sh "id as the user" "$asq \$L id"
same_sh "ls -l /usr as the user" "$asq \$L ls -l /usr"
same_sh "cat /etc/shadow is refused" "$asq \$L cat /etc/shadow"
same_sh "sh pipeline as the user" "$asq \$L sh -c 'echo a b | tr a-z A-Z; id -u'"
same_sh "python3 as the user" "$asq \$L $PY -c 'import os; print(os.getuid() != 0 or os.geteuid())'"
same_sh "a guest as the user" "$asq \$L $GUEST_BUILD/musl/rawsys"
finish
