# A static Go program (go_program.go beside this script, built with
# Debian's golang-go, CGO_ENABLED=0): goroutines on several threads,
# preemption by SIGURG, os/signal, os/exec. Run natively and under lbw,
# three times under lbw (preemption and thread wake-ups vary from run to
# run). The binary and Go's build cache are kept in build/tests/go.
. "$TESTS_DIR/lib.sh"
TEST_TIMEOUT=20 # a native run takes a fraction of a second: a hang fails fast
cd "$T" || exit 1
if ! command -v go >/dev/null; then
    echo "FAIL: go is missing (tests/deps.sh installs golang-go)"
    exit 1
fi
src=$TESTS_DIR/programs/go_program.go
out=${GUEST_BUILD:-$T}/go
mkdir -p "$out"
bin=$out/go_program
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
    (cd "$out" && CGO_ENABLED=0 GOCACHE=$out/cache GOPATH=$out/gopath GO111MODULE=off GOFLAGS= \
        go build -o "$bin.tmp" "$src") >go-build.log 2>&1 && mv -f "$bin.tmp" "$bin"
fi
check "the Go program builds ($(head -c 300 go-build.log 2>/dev/null))" -x "$bin"
check "it is static (no PT_INTERP)" "$(readelf -lW "$bin" 2>/dev/null | grep -c 'Requesting program interpreter')" = 0
[ -x "$bin" ] || finish
same "Go: goroutines, preemption, os/signal, os/exec" "$bin"
same "Go: second run" "$bin"
same "Go: third run" "$bin"
same "Go with GOMAXPROCS=1 from the environment" env GOMAXPROCS=1 "$bin"
# Go's syscall package makes its calls from one site, the number in a
# register (runtime/internal/syscall.Syscall6): rewritten all the same,
# its pread64 calls come the fast way, with or without a guest root (where
# its openat calls trap, lbw's to serve); none with --no-rewrite.
for mode in fast root trap; do
    mode_flags $mode -R /
    stats_run "Go, $mode" "$bin" "${MODE_FLAGS[@]}"
    read -r pread_trap pread_fast <<<"$(stats_row pread64 "$T/stats")"
    if [ $mode = trap ]; then
        check "Go: nothing fast with --no-rewrite (${pread_fast:-?})" "${pread_fast:-0}" = 0
    elif aslr_on; then # (else the brk starts where the stub page would be)
        check "Go, $mode: pread64 on the fast path (trap ${pread_trap:-?}, fast ${pread_fast:-?})" \
            "${pread_fast:-0}" -ge 1500
    fi
done
finish
