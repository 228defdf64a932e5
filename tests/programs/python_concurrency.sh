# python3 with threads, subprocesses and signals: a pool of 8 threads
# (concurrent.futures), threading primitives, subprocess pipes with
# communicate() (more data than a pipe holds, both ways), signal.signal +
# os.kill, signal.setitimer firing into a handler, signal.pthread_kill and
# sigwait. The outputs are deterministic: no timings, no pids.
. "$TESTS_DIR/lib.sh"
TEST_TIMEOUT=30
cd "$T" || exit 1
same "python3 ThreadPoolExecutor with 8 threads" "$PY" -c '
import concurrent.futures, threading, hashlib
def work(i):
    h = hashlib.sha256()
    for k in range(2000):
        h.update(b"%d-%d" % (i, k))
    return i, h.hexdigest()[:16], threading.current_thread().name.startswith("ThreadPoolExecutor")
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
    results = list(ex.map(work, range(64)))
for r in results[:3] + results[-2:]:
    print(*r)
print(len(results), all(r[2] for r in results))
names = set()
barrier = threading.Barrier(8)
def meet(i):
    barrier.wait()          # all 8 workers at once
    names.add(threading.current_thread().name)
    return i * i
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
    print(sum(ex.map(meet, range(8))), len(names))
'
same "python3 threading: locks, conditions, events, queue" "$PY" -c '
import threading, queue
q = queue.Queue(maxsize=4)
out = []
def producer():
    for i in range(200):
        q.put(i)
    q.put(None)
def consumer():
    while True:
        x = q.get()
        if x is None:
            break
        out.append(x)
t1, t2 = threading.Thread(target=producer), threading.Thread(target=consumer)
t1.start(); t2.start(); t1.join(); t2.join()
print(len(out), sum(out), out == sorted(out))
lock = threading.Lock()
count = [0]
def inc():
    for _ in range(5000):
        with lock:
            count[0] += 1
ts = [threading.Thread(target=inc) for _ in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(count[0])
cond = threading.Condition()
state = {"turn": 0, "log": []}
def player(me, n):
    for _ in range(n):
        with cond:
            cond.wait_for(lambda: state["turn"] == me)
            state["log"].append(me)
            state["turn"] = (me + 1) % 3
            cond.notify_all()
ps = [threading.Thread(target=player, args=(i, 5)) for i in range(3)]
[p.start() for p in ps]; [p.join() for p in ps]
print("".join(map(str, state["log"])))
ev = threading.Event()
t = threading.Thread(target=ev.set); t.start(); print(ev.wait(30)); t.join()
'
same "python3 subprocess with pipes and communicate" "$PY" -c '
import subprocess, sys
data = b"".join(b"line %06d\n" % i for i in range(100000))   # 1.2 MB, more than a pipe holds
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(data)
print(len(out), out == data, p.returncode)
p = subprocess.Popen(["sh", "-c", "tr a-z A-Z; echo err-line >&2; exit 3"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = p.communicate(b"hello pipes\n")
print(out, err, p.returncode)
r = subprocess.run([sys.executable, "-c", "import sys; print(sum(map(int, sys.stdin.read().split())))"],
                   input=" ".join(map(str, range(1000))), capture_output=True, text=True)
print(r.stdout.strip(), r.returncode)
p1 = subprocess.Popen(["seq", "1", "5000"], stdout=subprocess.PIPE)
p2 = subprocess.Popen(["wc", "-l"], stdin=p1.stdout, stdout=subprocess.PIPE)
p1.stdout.close()
print(p2.communicate()[0].decode().strip(), p1.wait(), p2.returncode)
try:
    subprocess.run(["sleep", "10"], timeout=0.2)
except subprocess.TimeoutExpired:
    print("timeout expired, child killed")
'
same "python3 signal.signal and os.kill" "$PY" -c '
import os, signal
got = []
def h(sig, frame):
    got.append(signal.Signals(sig).name)
for s in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGTERM):
    signal.signal(s, h)
for s in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGTERM, signal.SIGUSR1):
    os.kill(os.getpid(), s)
print(got)
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGUSR1)
print("ignored", signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    os.kill(os.getpid(), signal.SIGINT)
    print("no KeyboardInterrupt")
except KeyboardInterrupt:
    print("KeyboardInterrupt")
old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
os.kill(os.getpid(), signal.SIGUSR2)
print("pending", signal.SIGUSR2 in signal.sigpending())
print("sigwait", signal.Signals(signal.sigwait({signal.SIGUSR2})).name)
signal.pthread_sigmask(signal.SIG_SETMASK, old)
import threading
ev = threading.Event()
def waiter():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    ev.set()
    print("thread sigwait", signal.Signals(signal.sigwait({signal.SIGUSR2})).name)
t = threading.Thread(target=waiter)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
t.start(); ev.wait()
signal.pthread_kill(t.ident, signal.SIGUSR2)
t.join()
'
same "python3 signal.setitimer into a handler" "$PY" -c '
import signal, time
ticks = []
def on_alarm(sig, frame):
    ticks.append(sig)
    if len(ticks) == 3:
        signal.setitimer(signal.ITIMER_REAL, 0)
signal.signal(signal.SIGALRM, on_alarm)
signal.setitimer(signal.ITIMER_REAL, 0.02, 0.02)
while len(ticks) < 3:
    signal.pause()
print("ticks", len(ticks), signal.getitimer(signal.ITIMER_REAL))
signal.setitimer(signal.ITIMER_REAL, 0.05)
try:
    time.sleep(0.3)        # PEP 475: the sleep resumes after the handler
    print("slept through the handler, ticks", len(ticks))
except InterruptedError:
    print("InterruptedError")
class Timeout(Exception):
    pass
def raiser(sig, frame):
    raise Timeout()
signal.signal(signal.SIGALRM, raiser)
signal.setitimer(signal.ITIMER_REAL, 0.05)
try:
    while True:
        pass              # a busy loop interrupted by the handler
except Timeout:
    print("busy loop interrupted by the timer")
'
finish
