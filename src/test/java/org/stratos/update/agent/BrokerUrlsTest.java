package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.BrokerProperties;

class BrokerUrlsTest {

    @Test
    void plainTcpUrlsReconnectThroughFailover() {
        assertThat(BrokerUrls.reconnecting("tcp://mq:61616"))
                .isEqualTo("failover:(tcp://mq:61616)?initialReconnectDelay=500&maxReconnectDelay=5000");
        assertThat(BrokerUrls.reconnecting("ssl://mq1:61617,ssl://mq2:61617"))
                .isEqualTo(
                        "failover:(ssl://mq1:61617,ssl://mq2:61617)?initialReconnectDelay=500&maxReconnectDelay=5000");
    }

    @Test
    void urlsThatChoseTheirTransportStayAsTheyAre() {
        assertThat(BrokerUrls.reconnecting("failover:(tcp://mq:61616)?randomize=false"))
                .isEqualTo("failover:(tcp://mq:61616)?randomize=false");
        assertThat(BrokerUrls.reconnecting("vm://stratos?create=false")).isEqualTo("vm://stratos?create=false");
    }

    @Test
    void theManagerReachesAnExternalBrokerThroughFailoverWithABoundedSendWait() {
        BrokerProperties external = new BrokerProperties(
                false,
                null,
                "tcp://mq1:61616,tcp://mq2:61616",
                "stratos-manager",
                "pw",
                null,
                true,
                "StratosUpdateManager",
                64,
                "stratos",
                1048576,
                null);
        assertThat(external.clientUrl())
                .isEqualTo("failover:(tcp://mq1:61616,tcp://mq2:61616)?"
                        + "initialReconnectDelay=500&maxReconnectDelay=5000&timeout=10000");
        BrokerProperties chosen = new BrokerProperties(
                false,
                null,
                "failover:(ssl://mq:61617)?randomize=false",
                "stratos-manager",
                "pw",
                null,
                true,
                "StratosUpdateManager",
                64,
                "stratos",
                1048576,
                null);
        assertThat(chosen.clientUrl()).isEqualTo("failover:(ssl://mq:61617)?randomize=false");
        BrokerProperties embedded = new BrokerProperties(
                true,
                "tcp://127.0.0.1:61616",
                null,
                "stratos-manager",
                null,
                null,
                true,
                "StratosUpdateManager",
                64,
                "stratos",
                1048576,
                null);
        assertThat(embedded.clientUrl()).isEqualTo("vm://stratos?create=false");
    }
}
