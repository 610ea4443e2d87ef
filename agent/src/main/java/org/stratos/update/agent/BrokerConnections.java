package org.stratos.update.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSslConnectionFactory;

/**
 * Connection factories for a broker that may speak TLS: with a trust store, an {@code ssl://} URL is trusted through
 * its certificates (PKCS12, keytool's default; JKS files are read too); without one, the JDK's default trust applies.
 * The agent and the manager (towards an external broker) build their factories here.
 */
public final class BrokerConnections {

    private BrokerConnections() {}

    /** A factory for {@code url}, logged in as {@code user}. */
    public static ActiveMQConnectionFactory factory(
            String url, String user, String password, Path trustStore, String trustStorePassword) {
        ActiveMQConnectionFactory factory;
        if (trustStore == null) {
            factory = new ActiveMQConnectionFactory(url);
        } else {
            if (!Files.isReadable(trustStore)) {
                throw new IllegalArgumentException("trust store " + trustStore + " is not a readable file");
            }
            ActiveMQSslConnectionFactory ssl = new ActiveMQSslConnectionFactory(url);
            ssl.setTrustStoreType("PKCS12");
            try {
                ssl.setTrustStore(trustStore.toUri().toString());
            } catch (Exception e) {
                throw new IllegalArgumentException(
                        "trust store " + trustStore + " cannot be read: " + e.getMessage(), e);
            }
            ssl.setTrustStorePassword(trustStorePassword);
            factory = ssl;
        }
        factory.setUserName(user);
        factory.setPassword(password);
        return factory;
    }
}
