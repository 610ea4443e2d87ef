package org.stratos.update.common;

import java.time.Instant;

/**
 * In-process notice (a Spring application event, delivered on a thread of its own) that the manager's connection to
 * its external broker is up again after an outage from {@code downSince} to {@code upAt}, during which events were
 * not sent ({@link EventPublisher}). Topology answers it with a complete snapshot.
 */
public record BrokerReconnected(Instant downSince, Instant upAt) {}
