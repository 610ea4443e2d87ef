package org.stratos.update.common;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the manager reaches its broker, and when it did not: the port through which the update capability asks
 * (messaging implements it, {@code BrokerLink}), so that a batch waiting for its agents does not blame them for an
 * outage of the broker and a member's failure reason names the outage.
 */
public interface BrokerReachability {

    /** Since when the broker has been unreachable, if it is now. */
    Optional<Instant> unreachableSince();

    /** Whether the broker was reachable all the time from {@code from} to {@code to}. */
    boolean reachableThroughout(Instant from, Instant to);

    /**
     * The outages from {@code from} to now in words, for a member's failure reason: "the broker has been unreachable
     * from the manager since 10:01:02 UTC (75 s)" or "... was unreachable from 10:01:02 to 10:01:40 UTC (38 s)".
     */
    Optional<String> unreachableDuring(Instant from);
}
