package org.stratos.update.runtime;

import java.util.List;
import org.springframework.stereotype.Component;
import org.stratos.update.topology.Cluster;

/** Finds the {@link ContainerRuntime} of a cluster's runtime kind. */
@Component
public class ContainerRuntimes {

    private final List<ContainerRuntime> runtimes;

    ContainerRuntimes(List<ContainerRuntime> runtimes) {
        this.runtimes = runtimes;
    }

    public ContainerRuntime of(Cluster cluster) {
        if (!cluster.container()) {
            throw new IllegalArgumentException("cluster '" + cluster.id() + "' runs no containers");
        }
        return runtimes.stream()
                .filter(r -> r.kind() == cluster.runtime())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no container runtime '" + cluster.runtime()
                        + "' is configured for cluster '" + cluster.id() + "'"));
    }
}
