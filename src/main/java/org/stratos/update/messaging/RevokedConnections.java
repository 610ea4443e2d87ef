package org.stratos.update.messaging;

import org.apache.activemq.broker.BrokerService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.stratos.update.credentials.CredentialsChanged;

/**
 * Closes the embedded broker's connections of a principal once its credentials were rotated or revoked (after the
 * change is committed): its clients must log in again, and the old password no longer works. An external broker
 * keeps its own users (see {@code docs/security.md}).
 */
@Component
class RevokedConnections {

    private final ObjectProvider<BrokerService> embedded;

    RevokedConnections(ObjectProvider<BrokerService> embedded) {
        this.embedded = embedded;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onCredentialsChanged(CredentialsChanged changed) {
        embedded.ifAvailable(broker -> StratosBroker.disconnect(
                broker,
                changed.principal(),
                "the credentials of " + changed.principal()
                        + (changed.revoked() ? " were revoked" : " were replaced")));
    }
}
