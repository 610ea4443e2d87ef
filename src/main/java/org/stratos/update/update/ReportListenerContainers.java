package org.stratos.update.update;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The containers of the agents' report queues ({@link AgentReportListener}). Each hands its listener what is waiting
 * on the queue in one go: after the message it received it takes, without waiting, up to {@value #MAX_DRAINED} − 1
 * more from the same consumer, in the same session. The listener handles them all in one database transaction
 * ({@link #drained}), and only after that transaction has committed does the container acknowledge them, all at once
 * (client acknowledgement) — or, if the listener fails, hand every one of them back ({@code Session.recover}), so
 * none is lost and none is acknowledged unhandled. A message that comes again (redelivered after such a failure) is
 * handled alone, so one bad message does not keep failing the ones drained with it.
 * <p>
 * The acknowledgement is not a transaction the listener waits for: a transacted session's commit waits for the
 * broker to write the removal of every persistent message to its journal (a disk sync), once per listener call. It
 * need not: a report is recorded in the database before it is acknowledged, and one that comes again because its
 * acknowledgement was lost (a crash, a broker restart) finds itself recorded and changes nothing (counted as
 * redelivered, not as a {@code duplicate}: {@link AgentReportListener}). At least once, handled once.
 * <p>
 * Why: a batch's agents report at about the same moment; a commit per report, and the wait for the broker's disk in
 * each, was most of what a batch cost on top of its updates (docs/benchmarks.md).
 */
@Configuration(proxyBeanMethods = false)
class ReportListenerContainers {

    private static final Logger log = LoggerFactory.getLogger(ReportListenerContainers.class);
    /** At most this many messages in one transaction (a batch of 100 members sends 100 reports). */
    static final int MAX_DRAINED = 200;

    private static final ThreadLocal<List<Message>> DRAINED = new ThreadLocal<>();

    /** Like the other status listeners, but one consumer per queue, draining, and acknowledging after the listener. */
    @Bean
    DefaultJmsListenerContainerFactory reportListenerFactory(ActiveMQConnectionFactory factory) {
        DefaultJmsListenerContainerFactory containers = new DefaultJmsListenerContainerFactory() {
            @Override
            protected DefaultMessageListenerContainer createContainerInstance() {
                return new Draining();
            }
        };
        containers.setConnectionFactory(factory);
        // no session transaction: Draining acknowledges after the listener (see the class comment)
        // one consumer per report queue: the reports of a batch all count down the batch's row, so consumers in
        // parallel only waited for each other's commits on it, each with a smaller share of what was waiting; one
        // consumer takes all of it in one transaction (docs/benchmarks.md, 2026-12-01 session 3)
        containers.setConcurrency("1");
        containers.setPubSubDomain(false);
        containers.setErrorHandler(ReportListenerContainers::listenerFailed);
        return containers;
    }

    /**
     * The messages received together with {@code first} (the one the listener was called with, listed first). Called
     * once per listener call, on the listener's thread. A listener that does not find its message there fails (all
     * are rolled back and come again) rather than acknowledge messages it did not see.
     */
    static List<Message> drained(Message first) {
        List<Message> batch = DRAINED.get();
        DRAINED.remove();
        if (batch == null || batch.isEmpty() || batch.get(0) != first) {
            throw new IllegalStateException("the report listener was called with a message its container did not "
                    + "just receive: rolled back, so that no message drained with it is acknowledged unhandled");
        }
        return batch;
    }

    private static void listenerFailed(Throwable t) {
        log.warn("A report listener failed; its messages are delivered again: {}", t.toString(), t);
    }

    /**
     * Receives the first message as usual, then what the consumer holds already; acknowledges all of them once the
     * listener has returned, or hands them all back when it failed.
     */
    static class Draining extends DefaultMessageListenerContainer {

        Draining() {
            setSessionTransacted(false);
            setSessionAcknowledgeMode(Session.CLIENT_ACKNOWLEDGE);
        }

        @Override
        protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
            DRAINED.remove();
            Message first = super.receiveMessage(consumer);
            if (first == null) {
                return null;
            }
            List<Message> batch = new ArrayList<>();
            batch.add(first);
            if (!first.getJMSRedelivered()) {
                for (Message next; batch.size() < MAX_DRAINED && (next = consumer.receiveNoWait()) != null; ) {
                    batch.add(next);
                }
            }
            DRAINED.set(batch);
            return first;
        }
    }
}
