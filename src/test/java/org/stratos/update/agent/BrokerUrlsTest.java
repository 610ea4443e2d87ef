package org.stratos.update.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerUrlsTest {

    @Test
    void plainTcpUrlsReconnectThroughFailover() {
        assertThat(BrokerUrls.reconnecting("tcp://mq:61616"))
                .isEqualTo("failover:(tcp://mq:61616)?initialReconnectDelay=500&maxReconnectDelay=5000");
        assertThat(BrokerUrls.reconnecting("ssl://mq1:61617,ssl://mq2:61617"))
                .isEqualTo("failover:(ssl://mq1:61617,ssl://mq2:61617)?initialReconnectDelay=500&maxReconnectDelay=5000");
    }

    @Test
    void urlsThatChoseTheirTransportStayAsTheyAre() {
        assertThat(BrokerUrls.reconnecting("failover:(tcp://mq:61616)?randomize=false"))
                .isEqualTo("failover:(tcp://mq:61616)?randomize=false");
        assertThat(BrokerUrls.reconnecting("vm://stratos?create=false")).isEqualTo("vm://stratos?create=false");
    }
}
