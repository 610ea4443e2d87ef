package org.stratos.update.messaging.broker;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerPlugin;

/**
 * Commands reach the member they name without the broker trying every agent's selector ({@link
 * MemberCommandDispatch}). The embedded broker installs it; in an external broker's {@code activemq.xml}:
 * {@code <bean xmlns="http://www.springframework.org/schema/beans"
 * class="org.stratos.update.messaging.broker.MemberCommandDispatchPlugin"/>} inside {@code <plugins>}. Without it the
 * broker delivers the same commands to the same agents, only with work that grows with the number of agents.
 */
public final class MemberCommandDispatchPlugin implements BrokerPlugin {

    @Override
    public Broker installPlugin(Broker broker) {
        return new MemberCommandDispatch(broker);
    }
}
