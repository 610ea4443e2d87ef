package org.stratos.update.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntFunction;

/**
 * How the work of a task grows with its input, measured in CPU time of the calling thread (not wall-clock time:
 * time the thread waits for a core does not count). {@link #eightfold} runs the task on inputs of n and 8n, each
 * warmed up and taken at its best of several runs, and answers the ratio: about 8 for work linear in the input (a
 * little more as data outgrows the caches), about 64 for quadratic work.
 */
public final class Growth {

    private static final int RUNS = 5;

    private Growth() {}

    /** @param task makes the input of the given size (not measured) and answers the work to measure on it */
    public static double eightfold(int n, IntFunction<Runnable> task) {
        Runnable small = task.apply(n);
        Runnable large = task.apply(8 * n);
        small.run();
        large.run();
        return best(large) / best(small);
    }

    private static double best(Runnable work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long start = threads.getCurrentThreadCpuTime();
            work.run();
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        return Math.max(best, 1);
    }
}
