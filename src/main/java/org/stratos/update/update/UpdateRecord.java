package org.stratos.update.update;

import java.time.Instant;

/** The stored update (table {@code stratos_update}). {@code request} is the checked request as JSON. */
public record UpdateRecord(
        String id,
        String applicationId,
        UpdateState state,
        String request,
        RequestedAction requestedAction,
        String message,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt) {}
