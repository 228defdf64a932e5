// go_program: a static Go program (CGO_ENABLED=0) for go_program.sh. The Go
// runtime runs goroutines on several threads (GOMAXPROCS 4, and threads
// blocked in system calls), preempts running goroutines by sending its
// threads SIGURG, and handles signals itself (os/signal); os/exec forks and
// execs. The output is deterministic.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

func main() {
	runtime.GOMAXPROCS(4)

	// 100 goroutines doing channel work
	var wg sync.WaitGroup
	results := make(chan int, 10)
	work := make(chan int)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				s := 0
				for k := 0; k <= n; k++ {
					s += k
				}
				results <- s
			}
		}()
	}
	go func() {
		for n := 0; n < 1000; n++ {
			work <- n
		}
		close(work)
	}()
	go func() { wg.Wait(); close(results) }()
	total, count := 0, 0
	for r := range results {
		total += r
		count++
	}
	fmt.Println("100 goroutines: results", count, "total", total)

	// goroutines blocked in raw system calls: the runtime starts more threads
	var fds [8][2]int
	for i := range fds {
		p := make([]int, 2)
		if err := syscall.Pipe(p); err != nil {
			fmt.Println("pipe:", err)
			return
		}
		fds[i] = [2]int{p[0], p[1]}
	}
	var rwg sync.WaitGroup
	var got int64
	for i := range fds {
		rwg.Add(1)
		go func(fd int) {
			defer rwg.Done()
			buf := make([]byte, 1)
			n, _ := syscall.Read(fd, buf) // blocks its thread
			atomic.AddInt64(&got, int64(n))
		}(fds[i][0])
	}
	for i := range fds {
		syscall.Write(fds[i][1], []byte{'x'})
	}
	rwg.Wait()
	fmt.Println("8 goroutines blocked in read(2) on their own threads, bytes read:", got)

	// file work from 4 goroutines at once: the syscall package makes every
	// call from one site, its number in a register
	var fwg sync.WaitGroup
	var fsum int64
	for g := 0; g < 4; g++ {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			buf := make([]byte, 64)
			for i := 0; i < 500; i++ {
				f, err := os.Open("/etc/passwd")
				if err != nil {
					continue
				}
				n, _ := f.ReadAt(buf, 0)
				st, _ := f.Stat()
				f.Close()
				atomic.AddInt64(&fsum, int64(n)+st.Size())
			}
		}()
	}
	fwg.Wait()
	fmt.Println("2000 opens, preads, fstats and closes from 4 goroutines:", fsum)

	// preemption: 4 goroutines spin without function calls; the GC has to
	// stop them, which the runtime does by signalling their threads (SIGURG)
	var stop int32
	var spun int64
	var swg sync.WaitGroup
	for i := 0; i < 4; i++ {
		swg.Add(1)
		go func() {
			defer swg.Done()
			n := int64(0)
			for atomic.LoadInt32(&stop) == 0 {
				n++
			}
			atomic.AddInt64(&spun, n)
		}()
	}
	for i := 0; i < 3; i++ {
		runtime.GC() // stops the world: every spinner must be preempted
	}
	runtime.Gosched()
	atomic.StoreInt32(&stop, 1)
	swg.Wait()
	fmt.Println("4 spinning goroutines preempted for 3 garbage collections; they spun:", spun > 0)

	// os/signal
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	fmt.Println("signal.Notify got:", <-c)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	fmt.Println("signal.Notify got:", <-c)
	signal.Ignore(syscall.SIGHUP)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	fmt.Println("SIGHUP ignored, still here")
	signal.Stop(c)

	// os/exec
	out, err := exec.Command("/bin/echo", "hello", "from", "echo").Output()
	fmt.Printf("exec /bin/echo: %q %v\n", out, err)
	cmd := exec.Command("sort")
	cmd.Stdin = strings.NewReader("pear\napple\nfig\n")
	out, err = cmd.Output()
	fmt.Printf("exec sort with a stdin pipe: %q %v\n", out, err)
	err = exec.Command("sh", "-c", "exit 7").Run()
	if ee, ok := err.(*exec.ExitError); ok {
		fmt.Println("exec sh -c 'exit 7':", ee.ExitCode())
	}
	err = exec.Command("sh", "-c", "kill -TERM $$").Run()
	fmt.Println("exec sh killing itself:", err)
	_, err = exec.Command("/nonexistent/program").Output()
	fmt.Println("exec of a missing program:", err)

	// several commands at once from several goroutines
	var ewg sync.WaitGroup
	var mu sync.Mutex
	var lines []string
	for i := 0; i < 8; i++ {
		ewg.Add(1)
		go func(i int) {
			defer ewg.Done()
			o, _ := exec.Command("/bin/echo", fmt.Sprint("job", i)).Output()
			mu.Lock()
			lines = append(lines, strings.TrimSpace(string(o)))
			mu.Unlock()
		}(i)
	}
	ewg.Wait()
	sort.Strings(lines)
	fmt.Println("8 concurrent execs:", strings.Join(lines, " "))
}
