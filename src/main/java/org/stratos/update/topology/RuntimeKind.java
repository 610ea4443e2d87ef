package org.stratos.update.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * How the members of a cluster get new software: {@code puppet} (the agent on each VM runs Puppet),
 * {@code kubernetes} (pods replaced through the API server), {@code simulated} (in-process members for the demo and
 * the benchmark, running the real agent code with a simulated update command; VM-like, or container-like when the
 * cluster has an image id).
 */
public enum RuntimeKind {
    PUPPET,
    KUBERNETES,
    SIMULATED;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static RuntimeKind of(String id) {
        return Arrays.stream(values())
                .filter(r -> r.id().equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown runtime '" + id + "'"));
    }

    @Override
    public String toString() {
        return id();
    }
}
