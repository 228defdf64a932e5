# Java, when a JVM is on the machine (it is not installed by tests/deps.sh):
# `java -version`, and a small multi-threaded program (JavaThreads.java
# beside this script, compiled natively with javac) run natively and under
# lbw. The JVM runs many threads, uses SIGSEGV for its own purposes and
# signals its threads. Without java and javac, the test passes with a note.
. "$TESTS_DIR/lib.sh"
TEST_TIMEOUT=30
cd "$T" || exit 1
if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
    echo "ok: no java or javac on this machine: nothing to test"
    finish
fi
JAVA=$(readlink -f "$(command -v java)")
same "java -version" "$JAVA" -version
mkdir -p classes
javac -d classes "$TESTS_DIR/programs/JavaThreads.java" 2>javac.err
check "javac compiles JavaThreads.java ($(head -c 300 javac.err))" -e classes/JavaThreads.class
same "java: 4 threads on a synchronized counter, wait/notify, a pool" "$JAVA" -cp classes JavaThreads
same "java with the serial collector" "$JAVA" -XX:+UseSerialGC -cp classes JavaThreads
finish
