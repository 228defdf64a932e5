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
finish
