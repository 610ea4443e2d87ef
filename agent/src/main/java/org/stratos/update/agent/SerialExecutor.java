package org.stratos.update.agent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one agent's tasks one after the other, on threads borrowed from a shared pool. A fleet of ten thousand agents
 * in one JVM then needs only as many threads as updates actually run at once, not one idle thread per agent (and
 * Java 17 has no virtual threads).
 */
final class SerialExecutor implements Executor {

    /** Threads of the shared pool: {@code -Dstratos.agent.threads}, default 256; idle ones end after 30 s. */
    static final int SHARED_THREADS = Integer.getInteger("stratos.agent.threads", 256);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;
    private boolean shutdown;
    private Thread running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    static Executor sharedPool() {
        return SharedPool.POOL;
    }

    @Override
    public synchronized void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("agent stopped");
        }
        tasks.add(task);
        if (!scheduled) {
            scheduled = true;
            pool.execute(this::runNext);
        }
    }

    /** Drops queued tasks, interrupts the running one and waits up to {@code grace} for it to end. */
    void shutdown(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (this) {
            shutdown = true;
            tasks.clear();
            if (running != null) {
                running.interrupt();
            }
            for (long left;
                    running != null
                            && running != Thread.currentThread()
                            && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private void runNext() {
        Runnable task;
        synchronized (this) {
            task = tasks.poll();
            if (task == null) {
                scheduled = false;
                return;
            }
            running = Thread.currentThread();
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                running = null;
                Thread.interrupted(); // an interrupt meant for this agent must not hit the pool's next task
                notifyAll();
                if (tasks.isEmpty()) {
                    scheduled = false;
                } else {
                    pool.execute(this::runNext); // back into the pool's queue: agents take turns
                }
            }
        }
    }

    /** Holder idiom: the pool exists only once an agent uses it. */
    private static final class SharedPool {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            AtomicInteger number = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    SHARED_THREADS, SHARED_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "stratos-agent-" + number.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
