package org.stratos.update.update;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.jms.Connection;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.stratos.update.messaging.EventReader;
import org.stratos.update.messaging.EventRejections;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/**
 * The report listener behind its draining container, on a real broker: a report the broker delivers again after it
 * was recorded (the call failed after the commit, or its acknowledgement was lost) is counted as a redelivery, not
 * as a {@code duplicate} rejection; a repeat the agent sent is still one.
 */
class AgentReportListenerTest {

    private static final String QUEUE = "Consumer.Test.instance.status.InstanceUpdatedEvent";
    private static final String UPDATED = "instance.status.InstanceUpdatedEvent";
    private static final InstanceUpdatedEvent REPORT =
            new InstanceUpdatedEvent("upd-1", "app", "php", "c1", "m1", "2.0", false, 2, 10, null, false, null, null);

    private final EventReader reader = mock(EventReader.class);
    private final EventRejections rejections = mock(EventRejections.class);
    private final ReportCorrelator reports = mock(ReportCorrelator.class);
    private final AgentReportListener listener = new AgentReportListener(reader, rejections, reports);

    private BrokerService broker;
    private ActiveMQConnectionFactory factory;
    private DefaultMessageListenerContainer container;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("report-listener-test");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.start();
        broker.waitUntilStarted();
        factory = new ActiveMQConnectionFactory("vm://report-listener-test?create=false");
        factory.setWatchTopicAdvisories(false);
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(10);
        redelivery.setMaximumRedeliveries(5);
        factory.setRedeliveryPolicy(redelivery);
        when(reader.read(any(), eq(UPDATED), eq(InstanceUpdatedEvent.class))).thenReturn(Optional.of(REPORT));
        container = new ReportListenerContainers.Draining();
        container.setConnectionFactory(factory);
        container.setDestinationName(QUEUE);
        container.setMessageListener((MessageListener) listener::onUpdated);
        container.setReceiveTimeout(200);
        container.afterPropertiesSet();
        container.start();
    }

    @AfterEach
    void stop() throws Exception {
        container.shutdown();
        broker.stop();
        broker.waitUntilStopped();
    }

    @Test
    void aRecordedReportTheBrokerDeliversAgainIsCountedAsRedeliveredNotAsADuplicate() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        when(reports.reportedAll(any())).thenAnswer(call -> {
            if (calls.incrementAndGet() == 1) {
                // recorded and committed; then the call failed (the flow's correlation), so the message comes again
                throw new IllegalStateException("failed after the report's transaction committed");
            }
            return List.of(ReportCorrelator.Outcome.DUPLICATE); // it finds itself recorded
        });

        send();

        verify(rejections, timeout(10_000)).redelivered(eq(UPDATED), anyString());
        verify(rejections, never()).reject(eq(UPDATED), eq("duplicate"), anyString());
    }

    @Test
    void aRepeatTheAgentSentIsStillADuplicate() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        when(reports.reportedAll(any()))
                .thenAnswer(call -> List.of(
                        calls.incrementAndGet() == 1
                                ? ReportCorrelator.Outcome.CORRELATED
                                : ReportCorrelator.Outcome.DUPLICATE));

        send();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        send();

        verify(rejections, timeout(10_000)).reject(eq(UPDATED), eq("duplicate"), anyString());
        verify(rejections, never()).redelivered(anyString(), anyString());
        verify(reports, times(2)).reportedAll(any());
    }

    private void send() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            p.send(s.createTextMessage("{}")); // the reader (a mock) makes it the report above
        }
    }
}
