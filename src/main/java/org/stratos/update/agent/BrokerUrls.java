package org.stratos.update.agent;

import java.util.Arrays;
import java.util.Locale;

/**
 * A standalone agent must outlive broker restarts without anyone restarting it, so plain TCP URLs are wrapped in
 * ActiveMQ's failover transport, which reconnects and restores the agent's sessions and subscription by itself.
 */
final class BrokerUrls {

    static final String RECONNECT_OPTIONS = "initialReconnectDelay=500&maxReconnectDelay=5000";

    private BrokerUrls() {
    }

    /** {@code tcp://h:61616} becomes {@code failover:(tcp://h:61616)?initialReconnectDelay=500&...}; others stay. */
    static String reconnecting(String url) {
        String[] brokers = url.trim().split(",");
        boolean plain = Arrays.stream(brokers).map(b -> b.trim().toLowerCase(Locale.ROOT))
                .allMatch(b -> b.startsWith("tcp://") || b.startsWith("ssl://") || b.startsWith("nio://")
                        || b.startsWith("nio+ssl://") || b.startsWith("auto://"));
        return plain ? "failover:(" + url.trim() + ")?" + RECONNECT_OPTIONS : url.trim();
    }
}
