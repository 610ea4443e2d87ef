package org.stratos.update.topology;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.stratos.update.common.BrokerReachability;
import org.stratos.update.common.BrokerReconnected;
import org.stratos.update.common.EventPublisher;
import org.stratos.update.messaging.event.topology.CompleteTopologyEvent;

/**
 * After a broker outage, during which the single {@code topology.*} events were not sent, subscribers (load
 * balancers) learn the state as it is now from a {@link CompleteTopologyEvent}, as Stratos subscribers do from the
 * cloud controller's. Not the dropped events replayed: a snapshot taken after the link is back is at least as new as
 * anything that was dropped, and events after it are sent as they happen.
 *
 * <p>A topic keeps nothing for a subscriber that is not connected, and a subscriber's own failover connection may
 * come back later than the manager's: so the snapshot goes out when the link is back and once more, freshly taken,
 * {@link #AGAIN_AFTER} later.
 */
@Component
class TopologyResync implements DisposableBean {

    /** When the snapshot is sent a second time after the link came back. */
    static final Duration AGAIN_AFTER = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(TopologyResync.class);

    private final TopologyService topology;
    private final EventPublisher events;
    private final BrokerReachability broker;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "topology-resync");
        t.setDaemon(true);
        return t;
    });

    TopologyResync(TopologyService topology, EventPublisher events, BrokerReachability broker) {
        this.topology = topology;
        this.events = events;
        this.broker = broker;
    }

    @EventListener
    void brokerReconnected(BrokerReconnected notice) {
        send(notice, "");
        later.schedule(() -> send(notice, " again"), AGAIN_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(BrokerReconnected notice, String again) {
        if (broker.unreachableSince().isPresent()) {
            log.info(
                    "The complete topology is not sent{}: the broker is unreachable again (sent when it is back)",
                    again);
            return;
        }
        try {
            CompleteTopologyEvent snapshot = topology.completeTopology();
            events.publish(snapshot);
            log.info(
                    "The broker is back (down from {} to {}): sent the complete topology{} ({} applications) as of {}",
                    notice.downSince(),
                    notice.upAt(),
                    again,
                    snapshot.applications().size(),
                    snapshot.takenAt());
        } catch (RuntimeException e) {
            log.warn("The broker is back, but the complete topology could not be sent{}: {}", again, e.toString());
        }
    }

    @Override
    public void destroy() {
        later.shutdownNow();
    }
}
