package org.stratos.update.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.stratos.update.common.BrokerReachability;
import org.stratos.update.common.BrokerReconnected;

/**
 * Whether this manager reaches its broker, and since when it did not. The embedded broker runs in this JVM and is
 * always reachable. For an external broker the manager keeps one connection of its own open through the failover
 * transport and listens to it: the transport says when the connection broke ({@code transportInterupted}, sic) and when it
 * was restored, to the same broker or to the next of a pair ({@code transportResumed}). Until the first connection is
 * made the broker counts as unreachable since the start.
 *
 * <p>While the broker is unreachable nothing can be sent or received: the manager does not send (see
 * {@link JmsEventPublisher}), a batch waiting for its agents does not give up on them for not acknowledging commands
 * that could not reach them, and a member whose report did not come is failed with a reason that names the outage
 * ({@link #unreachableDuring}), not as a silent agent. Gauge {@code stratos.broker.connected} (1 or 0).
 *
 * <p>When the connection is up again after an outage (or up for the first time after something could not be sent
 * before it), {@link BrokerReconnected} is published to the application, on a thread of its own (never on the
 * transport's thread, which a send from a listener would block): topology answers it with a complete snapshot.
 */
@Component
public class BrokerLink implements BrokerReachability, InitializingBean, DisposableBean, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int OUTAGES_KEPT = 50;

    private final BrokerProperties props;
    private final ActiveMQConnectionFactory factory;
    private final Clock clock;
    private final Deque<Outage> outages = new ArrayDeque<>();
    private final AtomicLong unsent = new AtomicLong();
    private final ApplicationEventPublisher application;
    private final ExecutorService notices = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broker-link-reconnected");
        t.setDaemon(true);
        return t;
    });
    private volatile Instant downSince;
    private volatile ActiveMQConnection connection;
    private volatile boolean closed;
    private Thread connector;

    /** One time the broker could not be reached; {@code to} null while it lasts. */
    public record Outage(Instant from, Instant to) {}

    BrokerLink(
            BrokerProperties props,
            ActiveMQConnectionFactory activeMqConnectionFactory,
            Clock clock,
            ApplicationEventPublisher application) {
        this.props = props;
        this.factory = activeMqConnectionFactory;
        this.clock = clock;
        this.application = application;
    }

    @Override
    public void afterPropertiesSet() {
        if (props.embedded()) {
            return;
        }
        markDown("not connected yet");
        connector = new Thread(this::connect, "broker-link");
        connector.setDaemon(true);
        connector.start();
    }

    /** Connects (the failover transport retries by itself; a send time-out makes this loop try again). */
    private void connect() {
        while (!closed) {
            try {
                ActiveMQConnection c = (ActiveMQConnection) factory.createConnection();
                c.addTransportListener(new TransportListener() {
                    @Override
                    public void onCommand(Object command) {}

                    @Override
                    public void onException(IOException error) {
                        markDown(error.getMessage());
                    }

                    @Override
                    public void transportInterupted() { // sic: ActiveMQ's spelling
                        markDown("connection interrupted");
                    }

                    @Override
                    public void transportResumed() {
                        markUp(c.getTransport().getRemoteAddress());
                    }
                });
                c.start();
                markUp(c.getTransport().getRemoteAddress());
                connection = c;
                return;
            } catch (JMSException | RuntimeException e) {
                log.debug("broker link: {}", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    synchronized void markDown(String why) {
        if (downSince != null) {
            return;
        }
        downSince = clock.instant();
        outages.addLast(new Outage(downSince, null));
        while (outages.size() > OUTAGES_KEPT) {
            outages.removeFirst();
        }
        if (connection != null) {
            log.warn(
                    "The broker is unreachable ({}): nothing is sent until it is back; reconnecting to {}",
                    why,
                    props.clientUrl());
        }
    }

    synchronized void markUp(String remote) {
        if (downSince == null) {
            return;
        }
        Instant now = clock.instant();
        Outage last = outages.pollLast();
        outages.addLast(new Outage(last == null ? downSince : last.from(), now));
        log.info(
                connection == null
                        ? "Connected to the broker ({}) after {} s"
                        : "The broker is reachable again ({})" + " after {} s",
                remote,
                Duration.between(downSince, now).toSeconds());
        BrokerReconnected notice = new BrokerReconnected(downSince, now);
        boolean missed = connection != null || unsent.get() > 0;
        downSince = null;
        if (missed && !closed) {
            notices.execute(() -> application.publishEvent(notice));
        }
    }

    /** Whether the manager's connection to the broker is up now. */
    public boolean reachable() {
        return downSince == null;
    }

    @Override
    public Optional<Instant> unreachableSince() {
        return Optional.ofNullable(downSince);
    }

    @Override
    public boolean reachableThroughout(Instant from, Instant to) {
        return outages(from, to).isEmpty();
    }

    /** Outages that overlap {@code [from, to]}, oldest first. */
    public synchronized List<Outage> outages(Instant from, Instant to) {
        List<Outage> overlap = new ArrayList<>();
        for (Outage o : outages) {
            if (!o.from().isAfter(to) && (o.to() == null || !o.to().isBefore(from))) {
                overlap.add(o);
            }
        }
        return overlap;
    }

    @Override
    public Optional<String> unreachableDuring(Instant from) {
        Instant now = clock.instant();
        List<Outage> overlap = outages(from, now);
        if (overlap.isEmpty()) {
            return Optional.empty();
        }
        Outage last = overlap.get(overlap.size() - 1);
        String more = overlap.size() > 1 ? ", and " + (overlap.size() - 1) + " time(s) before" : "";
        if (last.to() == null) {
            return Optional.of("the broker has been unreachable from the manager since " + TIME.format(last.from())
                    + " UTC (" + Duration.between(last.from(), now).toSeconds() + " s" + more + ")");
        }
        return Optional.of("the broker was unreachable from the manager from " + TIME.format(last.from()) + " to "
                + TIME.format(last.to()) + " UTC ("
                + Duration.between(last.from(), last.to()).toSeconds() + " s"
                + more + ")");
    }

    /** A message not sent because the broker is unreachable ({@code stratos.events.unsent}). */
    void notSent() {
        unsent.incrementAndGet();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("stratos.broker.connected", this, l -> l.reachable() ? 1 : 0)
                .description("1 while the manager's connection to its broker is up")
                .register(registry);
        Gauge.builder("stratos.events.unsent", unsent, AtomicLong::get)
                .description("events and commands not sent because the broker was unreachable")
                .register(registry);
    }

    @Override
    public void destroy() {
        closed = true;
        notices.shutdownNow();
        if (connector != null) {
            connector.interrupt();
        }
        ActiveMQConnection c = connection;
        if (c != null) {
            // in its own thread: closing waits for an unreachable broker (at most the connection's close time-out)
            Thread closer = new Thread(
                    () -> {
                        try {
                            c.close();
                        } catch (JMSException e) {
                            log.debug("closing the broker link: {}", e.getMessage());
                        }
                    },
                    "broker-link-close");
            closer.setDaemon(true);
            closer.start();
        }
    }
}
