package org.stratos.update.update;

import java.time.Instant;

/** One cluster of an update (table {@code stratos_update_cluster}). */
public record ClusterRecord(
        String updateId,
        String clusterId,
        int position,
        ClusterProgress state,
        String fromVersion,
        String toVersion,
        int members,
        int batchSize,
        int failureBudget,
        int minHealthy,
        int currentBatch,
        int approvedBatch,
        String message,
        Instant startedAt,
        Instant endedAt) {}
