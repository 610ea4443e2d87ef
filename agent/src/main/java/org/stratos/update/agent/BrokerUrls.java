package org.stratos.update.agent;

import java.util.Arrays;
import java.util.Locale;

/**
 * Broker clients must outlive broker restarts and fail-overs without anyone restarting them, so plain TCP URLs are
 * wrapped in ActiveMQ's failover transport, which reconnects (to the same broker, or the next of a list), restores the
 * client's sessions, consumers and subscriptions, and sends again what was in flight when the connection broke. The
 * agent, {@code FleetMain}, the manager's own connection to an external broker and the simulated fleet use it.
 */
public final class BrokerUrls {

    /** Reconnect at once, then back off to 5 s between attempts; never give up. */
    public static final String RECONNECT_OPTIONS = "initialReconnectDelay=500&maxReconnectDelay=5000";

    /**
     * The manager's options besides {@link #RECONNECT_OPTIONS}: a send waits at most 10 s for a connection, then
     * fails (its database transaction rolls back and the engine retries), instead of holding the job forever.
     */
    public static final String MANAGER_OPTIONS = RECONNECT_OPTIONS + "&timeout=10000";

    private BrokerUrls() {}

    /** {@code tcp://h:61616} becomes {@code failover:(tcp://h:61616)?initialReconnectDelay=500&...}; others stay. */
    public static String reconnecting(String url) {
        return reconnecting(url, RECONNECT_OPTIONS);
    }

    /**
     * As {@link #reconnecting(String)} with {@code options} for the failover transport. A URL that chose its transport
     * ({@code failover:}, {@code vm:}, a static network, ...) stays as given: its options are the operator's.
     */
    public static String reconnecting(String url, String options) {
        String[] brokers = url.trim().split(",");
        boolean plain = Arrays.stream(brokers)
                .map(b -> b.trim().toLowerCase(Locale.ROOT))
                .allMatch(b -> b.startsWith("tcp://")
                        || b.startsWith("ssl://")
                        || b.startsWith("nio://")
                        || b.startsWith("nio+ssl://")
                        || b.startsWith("auto://"));
        return plain ? "failover:(" + url.trim() + ")?" + options : url.trim();
    }
}
