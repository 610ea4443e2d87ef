package org.stratos.update.topology;

import java.time.Instant;

/** One VM or pod of a cluster. {@code version} is the software it runs (the image id for containers). */
public record Member(
        String id, String clusterId, MemberState state, String version, String address, Instant stateSince) {}
