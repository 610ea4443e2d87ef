package org.stratos.update.update;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.broker.BrokerService;

/** The in-memory broker and quick-redelivering factory the report listener's container tests drain from. */
final class DrainTestBrokers {

    private DrainTestBrokers() {}

    /** Started, not persistent, reached as {@code vm://<name>}. */
    static BrokerService start(String name) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /** A factory for the broker {@code name}, redelivering after 10 ms, at most 5 times. */
    static ActiveMQConnectionFactory factory(String name) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + name + "?create=false");
        factory.setWatchTopicAdvisories(false);
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(10);
        redelivery.setMaximumRedeliveries(5);
        factory.setRedeliveryPolicy(redelivery);
        return factory;
    }
}
