package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.support.StandaloneBroker;
import org.stratos.update.support.TestBrokers;

/**
 * The test support's standalone broker is the real thing: Debian's ActiveMQ Classic in a process of its own, with the
 * Stratos plugin refusing what docs/security.md says, a KahaDB store that outlives {@code kill -9}, and a shared-store
 * pair whose second broker takes over when the first is killed.
 */
class StandaloneBrokerIT {

    private static final String STATUS_QUEUE = "Consumer.StratosUpdateManager.instance.status.InstanceUpdatedEvent";

    @Test
    void authenticatesAppliesThePluginAndKeepsPersistentMessagesAcrossKillMinus9(@TempDir Path dir) throws Exception {
        try (StandaloneBroker broker = StandaloneBroker.builder(dir)
                .user("fleet-1", "fleet-pw", BrokerGroups.FLEETS)
                .start()) {
            assertThatThrownBy(() -> TestBrokers.connect(broker.url(), "stratos-manager", "wrong"))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> TestBrokers.connect(broker.url(), null, null))
                    .isInstanceOf(JMSSecurityException.class);

            // a fleet may report (virtual topic -> the manager's queue), but not read the manager's queue
            Connection fleet = TestBrokers.connect(broker.url(), "fleet-1", "fleet-pw");
            Session fs = fleet.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer report = fs.createProducer(fs.createTopic("instance.status.InstanceUpdatedEvent"));
            report.setDeliveryMode(DeliveryMode.PERSISTENT);
            report.send(fs.createTextMessage("{\"before\":\"kill\"}"));
            assertThatThrownBy(() -> fs.createConsumer(fs.createQueue(STATUS_QUEUE)))
                    .isInstanceOf(JMSSecurityException.class);
            fleet.close();

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            broker.restart();

            // added while it runs: read again at the next login
            broker.addUser("agent-2", "agent-pw", BrokerGroups.AGENTS);
            TestBrokers.connect(broker.url(), "agent-2", "agent-pw").close();

            Connection manager =
                    TestBrokers.connect(broker.failoverUrl(), broker.managerUser(), broker.managerPassword());
            Session ms = manager.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer statuses = ms.createConsumer(ms.createQueue(STATUS_QUEUE));
            TextMessage survived = (TextMessage) statuses.receive(10_000);
            assertThat(survived).as("the report written before kill -9").isNotNull();
            assertThat(survived.getText()).isEqualTo("{\"before\":\"kill\"}");
            assertThat(survived.getStringProperty("JMSXUserID")).isEqualTo("fleet-1");
            manager.close();
        }
    }

    @Test
    void aSharedStorePairFailsOverToTheSecondBroker(@TempDir Path dir) throws Exception {
        try (StandaloneBroker.Pair pair = StandaloneBroker.pair(dir)) {
            StandaloneBroker master = pair.master();
            StandaloneBroker slave = pair.slave();
            assertThat(slave.isAccepting())
                    .as("the slave waits for the lock with its connector closed")
                    .isFalse();

            Connection manager = TestBrokers.connect(pair.failoverUrl(), "stratos-manager", pair.managerPassword());
            Session s = manager.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(STATUS_QUEUE));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage("one"));

            long killed = System.nanoTime();
            master.kill();
            pair.awaitMaster(slave, Duration.ofSeconds(30));
            System.out.printf(
                    "shared-store pair: the second broker accepted %d ms after kill -9%n",
                    (System.nanoTime() - killed) / 1_000_000);

            // the same connection goes on through failover: the message on disk is there, a new one goes through
            p.send(s.createTextMessage("two"));
            MessageConsumer c = s.createConsumer(s.createQueue(STATUS_QUEUE));
            assertThat(((TextMessage) c.receive(10_000)).getText()).isEqualTo("one");
            assertThat(((TextMessage) c.receive(10_000)).getText()).isEqualTo("two");
            manager.close();
        }
    }
}
