package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void manyAgentsShareFewThreadsAndEachRunsItsTasksInOrderOneAtATime() {
        int agents = 20;
        int tasks = 50;
        List<List<Integer>> done = new ArrayList<>();
        AtomicBoolean overlapped = new AtomicBoolean();
        for (int a = 0; a < agents; a++) {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            done.add(order);
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicInteger running = new AtomicInteger();
            for (int t = 0; t < tasks; t++) {
                int task = t;
                serial.execute(() -> {
                    if (running.incrementAndGet() > 1) {
                        overlapped.set(true);
                    }
                    order.add(task);
                    running.decrementAndGet();
                });
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> done.stream().allMatch(order -> order.size() == tasks));
        assertThat(overlapped).isFalse();
        done.forEach(order -> assertThat(order).isSorted());
    }

    @Test
    void shutdownInterruptsTheRunningTaskAndDropsTheQueuedOnes() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();
        serial.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        serial.execute(() -> queuedRan.set(true));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        serial.shutdown(Duration.ofSeconds(5));

        assertThat(interrupted).isTrue();
        assertThat(queuedRan).isFalse();
    }
}
