# Exit codes pass through: /bin/true, /bin/false, explicit exit statuses.
. "$TESTS_DIR/lib.sh"
same "/bin/true" /bin/true
same "/bin/false" /bin/false
same "true via PATH" true
same "sh -c 'exit 42'" sh -c 'exit 42'
same "sh -c 'exit 255'" sh -c 'exit 255'
same "sh -c 'exit 256' wraps to 0" sh -c 'exit 256'
same "python3 sys.exit(7)" "$PY" -c 'import sys; sys.exit(7)'
same "stdout then exit 3" sh -c 'echo out; echo err >&2; exit 3'
finish
