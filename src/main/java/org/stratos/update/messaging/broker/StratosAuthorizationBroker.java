package org.stratos.update.messaging.broker;

import java.util.Set;
import java.util.regex.Pattern;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.Subscription;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.DestinationInfo;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.ProducerInfo;
import org.apache.activemq.command.RemoveSubscriptionInfo;
import org.apache.activemq.security.SecurityContext;

/**
 * The Stratos rules, checked on every consumer, producer, message and destination change of a connection that is not
 * the manager's. Allow-list: what is not named here is refused with a {@link SecurityException}, which the client sees
 * as a {@code JMSSecurityException}.
 *
 * <ul>
 *   <li>{@link BrokerGroups#AGENTS}, {@link BrokerGroups#FLEETS}: publish on {@code instance.status.<Event>} topics;
 *       read {@code instance.notifier.SoftwareUpdateEvent} only with the selector {@code memberId = '<id>'} for a member
 *       they speak for; read the two advisory topics the ActiveMQ client watches for temporary destinations.</li>
 *   <li>{@link BrokerGroups#OBSERVERS}: read {@code topology.*} topics (a wildcard below {@code topology.} too).</li>
 *   <li>{@link BrokerGroups#MANAGERS}: everything.</li>
 * </ul>
 *
 * Wildcard and composite destinations are checked part by part and a wildcard is refused wherever it could reach a
 * destination the principal may not use: ActiveMQ's own authorization map answers a wildcard with the union of every
 * entry it touches, which would let an agent read {@code >}. Nobody but the manager removes a destination (the map lets
 * anyone remove one that exists) or keeps a durable subscription.
 */
final class StratosAuthorizationBroker extends BrokerFilter {

    static final String COMMAND_TOPIC = "instance.notifier.SoftwareUpdateEvent";
    static final String STATUS_PREFIX = "instance.status.";
    static final String TOPOLOGY_PREFIX = "topology.";
    /** A status topic: one event class below {@code instance.status.}, no wildcard. */
    private static final Pattern STATUS_TOPIC = Pattern.compile("instance\\.status\\.[A-Za-z][A-Za-z0-9]*");

    private static final String ADVISORY_PREFIX = "ActiveMQ.Advisory.";
    /** What ActiveMQ clients subscribe to by default ({@code watchTopicAdvisories}). */
    private static final Set<String> CLIENT_ADVISORIES =
            Set.of("ActiveMQ.Advisory.TempQueue", "ActiveMQ.Advisory.TempTopic");

    private final MemberOwnership ownership;

    StratosAuthorizationBroker(Broker next, MemberOwnership ownership) {
        super(next);
        this.ownership = ownership;
    }

    @Override
    public Subscription addConsumer(ConnectionContext context, ConsumerInfo info) throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            if (info.isDurable()) {
                throw refused(security, "keep a durable subscription on", info.getDestination());
            }
            for (ActiveMQDestination d : parts(info.getDestination())) {
                if (!mayRead(security, d, info.getSelector())) {
                    throw refused(security, "read from", d);
                }
            }
        }
        return super.addConsumer(context, info);
    }

    @Override
    public void addProducer(ConnectionContext context, ProducerInfo info) throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security) && info.getDestination() != null) {
            checkWrite(security, info.getDestination());
        }
        super.addProducer(context, info);
    }

    @Override
    public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
        SecurityContext security = checked(exchange.getConnectionContext());
        if (!privileged(security)) {
            checkWrite(security, message.getDestination());
        }
        super.send(exchange, message);
    }

    @Override
    public Destination addDestination(ConnectionContext context, ActiveMQDestination destination, boolean create)
            throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            // created on first use by a consumer or producer, or by the broker for its advisories (an external
            // broker's advisory support: ActiveMQ.Advisory.Connection on every connect); only destinations the
            // principal may use
            for (ActiveMQDestination d : parts(destination)) {
                if (!mayWrite(security, d) && !mayRead(security, d, null) && !isCommandTopic(d) && !isAdvisory(d)) {
                    throw refused(security, "create", d);
                }
            }
        }
        return super.addDestination(context, destination, create);
    }

    @Override
    public void addDestinationInfo(ConnectionContext context, DestinationInfo info) throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            throw refused(security, "create", info.getDestination());
        }
        super.addDestinationInfo(context, info);
    }

    @Override
    public void removeDestination(ConnectionContext context, ActiveMQDestination destination, long timeout)
            throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            throw refused(security, "remove", destination);
        }
        super.removeDestination(context, destination, timeout);
    }

    @Override
    public void removeDestinationInfo(ConnectionContext context, DestinationInfo info) throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            throw refused(security, "remove", info.getDestination());
        }
        super.removeDestinationInfo(context, info);
    }

    @Override
    public void removeSubscription(ConnectionContext context, RemoveSubscriptionInfo info) throws Exception {
        SecurityContext security = checked(context);
        if (!privileged(security)) {
            throw new SecurityException("User " + security.getUserName() + " may not remove durable subscriptions");
        }
        super.removeSubscription(context, info);
    }

    private boolean mayRead(SecurityContext security, ActiveMQDestination d, String selector) {
        if (!d.isTopic() || d.isTemporary()) {
            return false;
        }
        String name = d.getPhysicalName();
        Set<String> groups = BrokerGroups.of(security);
        if (groups.contains(BrokerGroups.OBSERVERS) && name.startsWith(TOPOLOGY_PREFIX)) {
            return true;
        }
        if (!groups.contains(BrokerGroups.AGENTS) && !groups.contains(BrokerGroups.FLEETS)) {
            return false;
        }
        if (d.isPattern()) {
            return false;
        }
        if (CLIENT_ADVISORIES.contains(name)) {
            return true;
        }
        if (!COMMAND_TOPIC.equals(name)) {
            return false;
        }
        String member = CommandSelector.memberOf(selector);
        return member != null && ownership.speaksFor(security.getUserName(), groups, member);
    }

    private static boolean mayWrite(SecurityContext security, ActiveMQDestination d) {
        Set<String> groups = BrokerGroups.of(security);
        return d.isTopic()
                && !d.isTemporary()
                && !d.isPattern()
                && (groups.contains(BrokerGroups.AGENTS) || groups.contains(BrokerGroups.FLEETS))
                && STATUS_TOPIC.matcher(d.getPhysicalName()).matches();
    }

    private static boolean isAdvisory(ActiveMQDestination d) {
        return d.isTopic() && !d.isPattern() && d.getPhysicalName().startsWith(ADVISORY_PREFIX);
    }

    private static boolean isCommandTopic(ActiveMQDestination d) {
        return d.isTopic() && !d.isTemporary() && COMMAND_TOPIC.equals(d.getPhysicalName());
    }

    private static void checkWrite(SecurityContext security, ActiveMQDestination destination) {
        for (ActiveMQDestination d : parts(destination)) {
            if (!mayWrite(security, d)) {
                throw refused(security, "write to", d);
            }
        }
    }

    private static ActiveMQDestination[] parts(ActiveMQDestination destination) {
        return destination.isComposite()
                ? destination.getCompositeDestinations()
                : new ActiveMQDestination[] {destination};
    }

    private static SecurityContext checked(ConnectionContext context) {
        SecurityContext security = context.getSecurityContext();
        if (security == null) {
            throw new SecurityException("User is not authenticated.");
        }
        return security;
    }

    private static boolean privileged(SecurityContext security) {
        return security.isBrokerContext() || BrokerGroups.of(security).contains(BrokerGroups.MANAGERS);
    }

    private static SecurityException refused(SecurityContext security, String what, ActiveMQDestination d) {
        return new SecurityException("User " + security.getUserName() + " is not authorized to " + what + ": " + d);
    }
}
