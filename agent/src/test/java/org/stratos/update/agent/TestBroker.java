package org.stratos.update.agent;

import java.net.URI;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.Subscription;
import org.apache.activemq.command.ActiveMQTopic;

/**
 * A throw-away ActiveMQ broker on a free loopback port, non-persistent; can be stopped and started again on the same
 * port to play a broker restart. {@link #main} serves {@code bin/measure-agent.sh}.
 */
final class TestBroker implements AutoCloseable {

    private static int instances;

    private BrokerService broker;
    private int port;

    private TestBroker() {}

    static TestBroker start() throws Exception {
        TestBroker test = new TestBroker();
        test.startOn(0);
        return test;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }

    /** A fresh broker on the same port, as after a restart: no subscriptions, no messages. */
    void restart() throws Exception {
        stop();
        startOn(port);
    }

    /** The broker's subscriptions on a topic, to see what each consumer selects and was given. */
    java.util.List<Subscription> subscriptions(String topic) throws Exception {
        Destination destination = broker.getDestination(new ActiveMQTopic(topic));
        return destination == null ? java.util.List.of() : destination.getConsumers();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private void startOn(int wantedPort) throws Exception {
        BrokerService b = new BrokerService();
        synchronized (TestBroker.class) {
            b.setBrokerName("agent-test-" + (++instances));
        }
        b.setPersistent(false);
        b.setUseJmx(false);
        b.setUseShutdownHook(false);
        b.setAdvisorySupport(false);
        b.setSchedulerSupport(false);
        // stamps the sender's user on each message, as the manager's broker does: agents take commands only from the
        // manager's user (no authentication here: the user is whoever the client says it is)
        b.setPopulateJMSXUserID(true);
        b.getSystemUsage().getMemoryUsage().setLimit(32L * 1024 * 1024);
        b.getSystemUsage().getTempUsage().setLimit(64L * 1024 * 1024);
        b.addConnector("tcp://127.0.0.1:" + wantedPort);
        b.start();
        b.waitUntilStarted();
        URI bound = b.getTransportConnectors().get(0).getConnectUri();
        broker = b;
        port = bound.getPort();
    }

    /** Runs a broker until killed and prints {@code port=<n>} once it listens: {@code TestBroker [port]}. */
    public static void main(String[] args) throws Exception {
        TestBroker test = new TestBroker();
        test.startOn(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("port=" + test.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
