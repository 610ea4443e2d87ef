package org.stratos.update.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/** The manager's record of broker outages, and how a member's failure reason names them. */
class BrokerLinkTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private BrokerLink link() {
        BrokerProperties external = new BrokerProperties(
                false,
                null,
                "tcp://mq:61616",
                "stratos-manager",
                "pw",
                null,
                true,
                "StratosUpdateManager",
                64,
                "stratos",
                1048576,
                null);
        // not started: the test says when the connection breaks and comes back
        return new BrokerLink(external, new ActiveMQConnectionFactory("vm://none?create=false"), clock, event -> {});
    }

    private void after(Duration d) {
        now = now.plus(d);
    }

    @Test
    void anOngoingOutageIsNamedWithItsStartAndLength() {
        BrokerLink link = link();
        Instant batchStarted = now;
        assertThat(link.reachable()).isTrue();
        assertThat(link.unreachableDuring(batchStarted)).isEmpty();

        after(Duration.ofSeconds(10));
        link.markDown("connection interrupted");
        after(Duration.ofSeconds(75));
        assertThat(link.reachable()).isFalse();
        assertThat(link.unreachableSince()).contains(Instant.parse("2026-12-01T10:00:10Z"));
        assertThat(link.unreachableDuring(batchStarted))
                .contains("the broker has been unreachable from the manager since 10:00:10 UTC (75 s)");
    }

    @Test
    void aPastOutageCountsOnlyForTheTimeItOverlaps() {
        BrokerLink link = link();
        link.markDown("connection interrupted");
        after(Duration.ofSeconds(30));
        link.markUp("tcp://mq:61616");
        assertThat(link.reachable()).isTrue();
        after(Duration.ofSeconds(5));
        Instant later = now;
        after(Duration.ofSeconds(5));

        assertThat(link.unreachableDuring(later))
                .as("an outage that ended before")
                .isEmpty();
        assertThat(link.unreachableDuring(later.minusSeconds(20)))
                .contains("the broker was unreachable from the manager from 10:00:00 to 10:00:30 UTC (30 s)");

        link.markDown("connection interrupted");
        after(Duration.ofSeconds(3));
        assertThat(link.outages(Instant.parse("2026-12-01T09:00:00Z"), now)).hasSize(2);
        assertThat(link.unreachableDuring(Instant.parse("2026-12-01T09:00:00Z")))
                .contains(
                        "the broker has been unreachable from the manager since 10:00:40 UTC (3 s, and 1 time(s) before)");
    }

    @Test
    void aSecondInterruptionOfTheSameOutageChangesNothing() {
        BrokerLink link = link();
        link.markDown("connection interrupted");
        after(Duration.ofSeconds(2));
        link.markDown("connection interrupted");
        after(Duration.ofSeconds(2));
        link.markUp("tcp://mq:61616");
        link.markUp("tcp://mq:61616");
        assertThat(link.outages(Instant.EPOCH, now))
                .containsExactly(new BrokerLink.Outage(
                        Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:04Z")));
    }
}
