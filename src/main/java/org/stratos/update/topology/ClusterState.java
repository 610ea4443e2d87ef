package org.stratos.update.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Cluster instance states of Stratos. {@link #PATCHING} was defined there and never used; here it is the state of a
 * cluster under an all-at-once (incompatible) update.
 */
public enum ClusterState {
    CREATED("Created"),
    ACTIVE("Active"),
    INACTIVE("Inactive"),
    PATCHING("Patching"),
    TERMINATING("Terminating"),
    TERMINATED("Terminated");

    private static final Map<ClusterState, Set<ClusterState>> NEXT = Map.of(
            CREATED, EnumSet.of(ACTIVE, TERMINATING),
            ACTIVE, EnumSet.of(INACTIVE, PATCHING, TERMINATING),
            INACTIVE, EnumSet.of(ACTIVE, TERMINATING),
            PATCHING, EnumSet.of(ACTIVE, INACTIVE, TERMINATING),
            TERMINATING, EnumSet.of(TERMINATED),
            TERMINATED, EnumSet.noneOf(ClusterState.class));

    private final String stratosName;

    ClusterState(String stratosName) {
        this.stratosName = stratosName;
    }

    public boolean canMoveTo(ClusterState next) {
        return NEXT.get(this).contains(next);
    }

    @JsonValue
    public String stratosName() {
        return stratosName;
    }

    @JsonCreator
    public static ClusterState of(String name) {
        return Arrays.stream(values())
                .filter(s -> s.stratosName.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown cluster state '" + name + "'"));
    }

    @Override
    public String toString() {
        return stratosName;
    }
}
