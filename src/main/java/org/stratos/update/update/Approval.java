package org.stratos.update.update;

import java.util.Arrays;

/** When a phased update waits for an operator: never, once after the first (canary) batch, or after every batch. */
public enum Approval {
    NONE("none"),
    AFTER_FIRST_BATCH("afterFirstBatch"),
    EVERY_BATCH("everyBatch");

    private final String id;

    Approval(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the batch with this number (1-based) waits for approval before it starts. */
    public boolean before(int batchNumber) {
        return switch (this) {
            case NONE -> false;
            case AFTER_FIRST_BATCH -> batchNumber == 2;
            case EVERY_BATCH -> batchNumber >= 2;
        };
    }

    public static Approval of(String id) {
        return Arrays.stream(values())
                .filter(a -> a.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id));
    }
}
