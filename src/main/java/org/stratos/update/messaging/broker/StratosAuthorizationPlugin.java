package org.stratos.update.messaging.broker;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerPlugin;

/**
 * Installs the Stratos authorization rules ({@link StratosAuthorizationBroker}). The embedded broker passes the
 * manager's own record of which principal speaks for which member; in an external broker's {@code activemq.xml} the
 * no-argument form applies {@link MemberOwnership#byConvention()}:
 * {@code <bean xmlns="http://www.springframework.org/schema/beans"
 * class="org.stratos.update.messaging.broker.StratosAuthorizationPlugin"/>} inside {@code <plugins>}, after the
 * authentication plugin.
 */
public final class StratosAuthorizationPlugin implements BrokerPlugin {

    private final MemberOwnership ownership;

    public StratosAuthorizationPlugin() {
        this(MemberOwnership.byConvention());
    }

    public StratosAuthorizationPlugin(MemberOwnership ownership) {
        this.ownership = ownership;
    }

    @Override
    public Broker installPlugin(Broker broker) {
        return new StratosAuthorizationBroker(broker, ownership);
    }
}
