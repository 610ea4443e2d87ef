package org.stratos.update.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh ids, so tests sharing one database never see each other's data. */
public final class TestIds {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestIds() {}

    /** e.g. {@code app-3-k2x}: unique within a run and across runs on one database. */
    public static String applicationId(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 46656, 36);
    }
}
