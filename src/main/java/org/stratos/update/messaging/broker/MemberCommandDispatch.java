package org.stratos.update.messaging.broker;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.DestinationFilter;
import org.apache.activemq.broker.region.MessageReference;
import org.apache.activemq.broker.region.Subscription;
import org.apache.activemq.broker.region.Topic;
import org.apache.activemq.broker.region.TopicSubscription;
import org.apache.activemq.broker.region.policy.DispatchPolicy;
import org.apache.activemq.broker.region.policy.SimpleDispatchPolicy;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.filter.MessageEvaluationContext;

/**
 * The command topic's dispatch by member. Every agent reads {@code instance.notifier.SoftwareUpdateEvent} with the one
 * selector {@code memberId = '<id>'} ({@link StratosAuthorizationBroker} refuses any other), and ActiveMQ's default
 * dispatch evaluates every command against every subscription's selector: N evaluations a command, N² an update of N
 * members (38% of the manager's CPU at N = 10,000, docs/benchmarks.md). Here the subscriptions of the topic are kept by
 * the member their selector names; a command is offered to the subscriptions of its {@code memberId} and to every
 * other subscription (the manager's, a wildcard, a durable one), each still matched by its own selector as before, so
 * exactly the same subscriptions receive it.
 *
 * <p>The index follows the consumers added and removed through the broker. Whenever the topic holds another number of
 * subscriptions than the index (a consumer being added or removed at that moment, or one that reached the topic some
 * other way), the command is dispatched the default way, to every subscription that matches.
 */
final class MemberCommandDispatch extends BrokerFilter implements DispatchPolicy {

    private static final ActiveMQTopic COMMANDS = new ActiveMQTopic(StratosAuthorizationBroker.COMMAND_TOPIC);

    private record Tracked(Subscription subscription, String member) {}

    private final DispatchPolicy everyMatch = new SimpleDispatchPolicy();
    /**
     * Every subscription of the command topic added through the broker and not removed yet, by the very {@link
     * ConsumerInfo} the broker added it with: a client that fails over adds its consumers again under the same ids,
     * sometimes before the broker has removed those of its old connection. Guarded by {@code this}; {@link #count} is
     * its size, checked on every dispatch.
     */
    private final Map<ConsumerInfo, Tracked> tracked = new IdentityHashMap<>();

    private volatile int count;

    private final Map<String, List<Subscription>> byMember = new ConcurrentHashMap<>();
    private final Set<Subscription> others = ConcurrentHashMap.newKeySet();
    private final AtomicLong fullDispatches = new AtomicLong();

    MemberCommandDispatch(Broker next) {
        super(next);
    }

    @Override
    public Subscription addConsumer(ConnectionContext context, ConsumerInfo info) throws Exception {
        Subscription subscription = super.addConsumer(context, info);
        if (readsCommands(info.getDestination())) {
            track(info, subscription);
            installOnTheCommandTopic();
        }
        return subscription;
    }

    @Override
    public void removeConsumer(ConnectionContext context, ConsumerInfo info) throws Exception {
        try {
            super.removeConsumer(context, info);
        } finally {
            untrack(info);
        }
    }

    @Override
    public boolean dispatch(MessageReference node, MessageEvaluationContext context, List<Subscription> consumers)
            throws Exception {
        if (consumers.size() != count) {
            fullDispatches.incrementAndGet();
            return everyMatch.dispatch(node, context, consumers);
        }
        int delivered = 0;
        if (node.getMessage().getProperty(CommandSelector.MEMBER_ID) instanceof String member) {
            for (Subscription subscription : byMember.getOrDefault(member, List.of())) {
                delivered += offer(subscription, node, context);
            }
        }
        for (Subscription subscription : others) {
            delivered += offer(subscription, node, context);
        }
        return delivered > 0;
    }

    /** Commands dispatched the default way since the start (the index did not hold every subscription). */
    long fullDispatches() {
        return fullDispatches.get();
    }

    /** The subscriptions of the command topic the index knows of. */
    int subscriptions() {
        return count;
    }

    /** As {@link SimpleDispatchPolicy} does for each subscription. */
    private static int offer(Subscription subscription, MessageReference node, MessageEvaluationContext context)
            throws Exception {
        if (subscription.getConsumerInfo().isBrowser()) {
            return 0;
        }
        if (!subscription.matches(node, context)) {
            subscription.unmatched(node);
            return 0;
        }
        subscription.add(node);
        return 1;
    }

    private static boolean readsCommands(ActiveMQDestination destination) {
        return destination != null
                && destination.isTopic()
                && org.apache.activemq.filter.DestinationFilter.parseFilter(destination)
                        .matches(COMMANDS);
    }

    /**
     * Indexed first, counted last: until {@link #count} has it, the sizes differ and commands go the default way, so
     * a new subscription never misses one.
     */
    private synchronized void track(ConsumerInfo info, Subscription subscription) {
        untrack(info);
        String member = subscription instanceof TopicSubscription && !info.isDurable() && !info.isBrowser()
                ? CommandSelector.memberOf(info.getSelector())
                : null;
        if (member != null) {
            byMember.computeIfAbsent(member, m -> new CopyOnWriteArrayList<>()).add(subscription);
        } else {
            others.add(subscription);
        }
        tracked.put(info, new Tracked(subscription, member));
        count = tracked.size();
    }

    private synchronized void untrack(ConsumerInfo info) {
        Tracked gone = tracked.get(info);
        if (gone == null) {
            return;
        }
        if (gone.member() != null) {
            List<Subscription> subscriptions = byMember.get(gone.member());
            if (subscriptions != null) {
                subscriptions.remove(gone.subscription());
                if (subscriptions.isEmpty()) {
                    byMember.remove(gone.member());
                }
            }
        } else {
            others.remove(gone.subscription());
        }
        tracked.remove(info);
        count = tracked.size();
    }

    private void installOnTheCommandTopic() {
        for (Destination destination : getDestinations(COMMANDS)) {
            Destination inner = destination;
            while (inner instanceof DestinationFilter filter) {
                inner = filter.getNext();
            }
            if (inner instanceof Topic topic && topic.getDispatchPolicy() != this) {
                topic.setDispatchPolicy(this);
            }
        }
    }
}
