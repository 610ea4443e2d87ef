package org.stratos.update.topology;

import java.time.Instant;
import java.util.List;

/**
 * An application as registered. {@code startupOrders} are chains of component references
 * ({@code cartridge.<alias>}): each element starts only after the one before it is Active.
 */
public record Application(String id, String name, List<List<String>> startupOrders, Instant createdAt) {}
