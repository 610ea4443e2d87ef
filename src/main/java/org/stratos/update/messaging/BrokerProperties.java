package org.stratos.update.messaging;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.stratos.update.agent.BrokerUrls;

/**
 * {@code stratos.broker.*}: where the manager's broker is, and how the manager logs in to it. The defaults are in
 * application.yaml.
 *
 * @param embedded      run an ActiveMQ broker inside the manager (the default run); false for an external one
 * @param connector     the embedded broker's connector for agents in other processes ({@code tcp://} or, with
 *                      {@code tls.key-store}, {@code ssl://}); loopback by default
 * @param url           the external broker's URL (e.g. {@code failover:(ssl://mq1:61617,ssl://mq2:61617)})
 * @param user          the manager's broker user; agents accept commands only from it
 * @param password      its password: required with an external broker; the embedded broker makes up one per run when
 *                      none is set
 * @param dataDirectory where the embedded broker keeps persistent messages
 * @param persistent    keep messages on disk (replies survive a restart); tests may turn it off
 * @param consumerName  the manager's name in virtual-topic queue names: {@code Consumer.<name>.instance.status.*}
 * @param memoryLimitMb the embedded broker's memory limit
 * @param name          the embedded broker's name; clients in this JVM reach it as {@code vm://<name>}
 * @param maxFrameSize  the largest frame the embedded broker's connector accepts, in bytes; a client that sends a
 *                      bigger one is disconnected
 * @param tls           key store of the embedded broker's {@code ssl://} connector; trust store for an external
 *                      broker's {@code ssl://} URL
 */
@ConfigurationProperties("stratos.broker")
public record BrokerProperties(
        boolean embedded,
        String connector,
        String url,
        String user,
        String password,
        Path dataDirectory,
        boolean persistent,
        String consumerName,
        int memoryLimitMb,
        String name,
        int maxFrameSize,
        Tls tls) {

    /**
     * TLS files, PKCS12 (keytool's default; JKS files are read too).
     *
     * @param keyStore           the embedded broker's key pair and certificate
     * @param keyStorePassword   its password
     * @param trustStore         certificates the manager trusts when it connects to an external broker over TLS
     * @param trustStorePassword its password
     */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {}

    /**
     * The URL this JVM's clients use: the embedded broker in this JVM, or the external broker through ActiveMQ's
     * failover transport (a plain {@code tcp://}/{@code ssl://} URL, or a comma-separated list of them, is wrapped in
     * {@code failover:(...)}, see {@link BrokerUrls}; a {@code failover:} URL is taken as given).
     */
    public String clientUrl() {
        if (embedded) {
            return "vm://" + name + "?create=false";
        }
        return BrokerUrls.reconnecting(externalUrl(), BrokerUrls.MANAGER_OPTIONS);
    }

    /** The external broker's URL as configured. */
    public String externalUrl() {
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
