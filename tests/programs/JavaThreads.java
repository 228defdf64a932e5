// JavaThreads: a small multi-threaded Java program for java.sh: 4 threads
// increment a synchronized counter, a wait/notify hand-off, and a thread
// pool. The JVM itself brings more threads (compiler, GC), uses SIGSEGV for
// its own safepoints and null checks, and signals between its threads.
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class JavaThreads {
    private static long counter = 0;

    private static synchronized void increment() {
        counter++;
    }

    private static final Object lock = new Object();
    private static int turn = 0;

    public static void main(String[] args) throws Exception {
        Thread[] threads = new Thread[4];
        for (int i = 0; i < 4; i++) {
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 250000; k++) {
                    increment();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("4 threads x 250000 synchronized increments: " + counter);

        StringBuilder log = new StringBuilder();
        Thread[] players = new Thread[3];
        for (int i = 0; i < 3; i++) {
            final int me = i;
            players[i] = new Thread(() -> {
                for (int r = 0; r < 4; r++) {
                    synchronized (lock) {
                        while (turn != me) {
                            try {
                                lock.wait();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        log.append(me);
                        turn = (me + 1) % 3;
                        lock.notifyAll();
                    }
                }
            });
            players[i].start();
        }
        for (Thread t : players) {
            t.join();
        }
        System.out.println("wait/notify turns: " + log);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> parts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            final long base = i * 100000L;
            parts.add(pool.submit(() -> {
                long s = 0;
                for (long k = base; k < base + 100000; k++) {
                    s += k % 7;
                }
                return s;
            }));
        }
        long total = 0;
        for (Future<Long> f : parts) {
            total += f.get();
        }
        pool.shutdown();
        System.out.println("thread pool sum: " + total);

        // a NullPointerException: the JVM catches the SIGSEGV of its implicit null check
        String s = args.length > 100 ? "x" : null;
        int caught = 0;
        for (int i = 0; i < 3; i++) {
            try {
                s.length();
            } catch (NullPointerException e) {
                caught++;
            }
        }
        System.out.println("NullPointerExceptions caught: " + caught);
    }
}
