package org.stratos.update.messaging;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code stratos.broker.*}: where the manager's broker is.
 *
 * @param embedded      run an ActiveMQ broker inside the manager (the default run); false for an external one
 * @param connector     the embedded broker's TCP connector, for agents in other processes; loopback by default
 * @param url           the external broker's URL (e.g. {@code failover:(tcp://mq1:61616,tcp://mq2:61616)})
 * @param user          broker user (the embedded broker then requires it of every client), optional
 * @param password      broker password
 * @param dataDirectory where the embedded broker keeps persistent messages
 * @param persistent    keep messages on disk (replies survive a restart); tests may turn it off
 * @param consumerName  the manager's name in virtual-topic queue names: {@code Consumer.<name>.instance.status.*}
 * @param memoryLimitMb the embedded broker's memory limit
 * @param name          the embedded broker's name; clients in this JVM reach it as {@code vm://<name>}
 */
@ConfigurationProperties("stratos.broker")
public record BrokerProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("tcp://127.0.0.1:61616") String connector,
        String url,
        String user,
        String password,
        @DefaultValue("./data/activemq") Path dataDirectory,
        @DefaultValue("true") boolean persistent,
        @DefaultValue("StratosUpdateManager") String consumerName,
        @DefaultValue("64") int memoryLimitMb,
        @DefaultValue("stratos") String name) {

    /** The URL this JVM's clients use. */
    public String clientUrl() {
        if (embedded) {
            return "vm://" + name + "?create=false";
        }
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("stratos.broker.url is required when stratos.broker.embedded is false");
        }
        return url;
    }

    /** The queue this manager reads a status event class from. */
    public String consumerQueue(String topic) {
        return "Consumer." + consumerName + "." + topic;
    }
}
