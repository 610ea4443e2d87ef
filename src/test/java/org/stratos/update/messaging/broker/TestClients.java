package org.stratos.update.messaging.broker;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain ActiveMQ client's listening and sending, as the broker tests of this package use them. */
final class TestClients {

    private TestClients() {}

    /** A consumer's session, the consumer, and the texts it has received so far. */
    record Listener(Session session, MessageConsumer consumer, List<String> received) {

        void close() throws Exception {
            consumer.close();
            session.close();
        }
    }

    static Listener listen(Connection c, Destination d, String selector) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(d, selector);
        consumer.setMessageListener(m -> {
            try {
                received.add(((TextMessage) m).getText());
            } catch (Exception e) {
                received.add(e.toString());
            }
        });
        return new Listener(s, consumer, received);
    }

    /** A text message with the string property {@code memberId} unless it is null. */
    static void send(Connection c, Destination d, String body, String memberId) throws Exception {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage m = s.createTextMessage(body);
        if (memberId != null) {
            m.setStringProperty(CommandSelector.MEMBER_ID, memberId);
        }
        s.createProducer(d).send(m);
        s.close();
    }
}
