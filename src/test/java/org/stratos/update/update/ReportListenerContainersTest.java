package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQMessageConsumer;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The report queues' container: what waits on the queue reaches the listener in one call and is acknowledged once,
 * after the call; a failing call hands every message of it back, and none is acknowledged unhandled.
 */
class ReportListenerContainersTest {

    private static final String QUEUE = "Consumer.Test.instance.status.InstanceUpdatedEvent";

    private BrokerService broker;
    private ActiveMQConnectionFactory factory;
    private DefaultMessageListenerContainer container;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("drain-test");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.start();
        broker.waitUntilStarted();
        factory = new ActiveMQConnectionFactory("vm://drain-test?create=false");
        factory.setWatchTopicAdvisories(false);
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(10);
        redelivery.setMaximumRedeliveries(5);
        factory.setRedeliveryPolicy(redelivery);
    }

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.shutdown();
        }
        broker.stop();
        broker.waitUntilStopped();
    }

    @Test
    void whatWaitsOnTheQueueIsHandedOverInOneCallAndCommittedOnce() throws Exception {
        send("r1", "r2", "r3", "r4", "r5");
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        // the broker hands the consumer its prefetch asynchronously, one message after another: the first receive
        // waits until all five are there, so the test does not depend on how fast that goes under load
        start(message -> calls.add(texts(ReportListenerContainers.drained(message))), 5);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> calls.stream().mapToInt(List::size).sum() == 5);
        // all five were in the consumer when it received the first: one call, in the queue's order
        assertThat(calls).containsExactly(List.of("r1", "r2", "r3", "r4", "r5"));
        container.shutdown();
        container = null;
        assertThat(remaining()).isZero(); // acknowledged: committed with the call that handled them
    }

    @Test
    void aFailingCallHandsEveryMessageOfItBackAndEachComesAgainAlone() throws Exception {
        send("r1", "r2", "r3", "r4", "r5");
        AtomicBoolean failed = new AtomicBoolean();
        List<List<String>> failedCall = new CopyOnWriteArrayList<>();
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        start(message -> {
            List<Message> drained = ReportListenerContainers.drained(message);
            if (failed.compareAndSet(false, true)) {
                failedCall.add(texts(drained));
                throw new IllegalStateException("the database is away");
            }
            calls.add(texts(drained));
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> calls.stream().mapToInt(List::size).sum() == 5);
        assertThat(calls.stream().flatMap(List::stream)).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5");
        // what the failed call held came again, each message on its own (redelivered: not drained with others)
        for (String text : failedCall.get(0)) {
            assertThat(calls).contains(List.of(text));
        }
    }

    @Test
    void drainedFailsOnAThreadThatReceivedNothingRatherThanHandOverAnyMessage() throws Exception {
        send("r1");
        List<Message> received = new CopyOnWriteArrayList<>();
        start(received::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportListenerContainers.drained(received.get(0)))
                .isInstanceOf(IllegalStateException.class); // another thread: nothing was drained here
    }

    private void start(MessageListener listener) {
        start(listener, 0);
    }

    /** Starts the container; its first receive waits (bounded) until the consumer holds {@code held} messages. */
    private void start(MessageListener listener, int held) {
        AtomicBoolean first = new AtomicBoolean(true);
        container = new ReportListenerContainers.Draining() {
            @Override
            protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
                if (first.getAndSet(false)) {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> ((ActiveMQMessageConsumer) consumer).getMessageSize() >= held);
                }
                return super.receiveMessage(consumer);
            }
        };
        container.setConnectionFactory(factory);
        container.setDestinationName(QUEUE);
        container.setMessageListener(listener);
        container.setReceiveTimeout(200);
        container.afterPropertiesSet();
        container.start();
    }

    private void send(String... texts) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            for (String text : texts) {
                p.send(s.createTextMessage(text));
            }
        }
    }

    private long remaining() throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var browser = s.createBrowser(s.createQueue(QUEUE));
            long n = 0;
            for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                n++;
            }
            return n;
        }
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream()
                .map(m -> {
                    try {
                        return ((TextMessage) m).getText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
