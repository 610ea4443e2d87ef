package org.stratos.update.messaging.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Set;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.region.TopicSubscription;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.ConsumerId;
import org.apache.activemq.command.ConsumerInfo;
import org.apache.activemq.command.SessionId;
import org.apache.activemq.filter.MessageEvaluationContext;
import org.junit.jupiter.api.Test;

/**
 * A client that fails over adds its consumers again under the same ids, sometimes before the broker has removed those
 * of its old connection: the index must follow each subscription, not each id, or a command would go to the old,
 * dead subscription only.
 */
class MemberCommandDispatchFailoverTest {

    static final ActiveMQTopic COMMANDS = new ActiveMQTopic(StratosAuthorizationBroker.COMMAND_TOPIC);

    @Test
    void aConsumerAddedAgainUnderItsIdBeforeTheOldOneIsRemovedGetsTheCommands() throws Exception {
        Broker next = mock(Broker.class);
        when(next.getDestinations(any())).thenReturn(Set.of());
        MemberCommandDispatch dispatch = new MemberCommandDispatch(next);
        ConsumerId id = new ConsumerId(new SessionId(new ConnectionId("ID-agent-1"), 1), 1);
        ConsumerInfo oldInfo = consumer(id);
        ConsumerInfo newInfo = consumer(id);
        TopicSubscription oldSubscription = subscription(oldInfo);
        TopicSubscription newSubscription = subscription(newInfo);
        when(next.addConsumer(any(), any())).thenReturn(oldSubscription).thenReturn(newSubscription);
        ConnectionContext context = new ConnectionContext();

        dispatch.addConsumer(context, oldInfo);
        dispatch.addConsumer(context, newInfo); // the failover's, while the old connection is still there
        dispatch.removeConsumer(context, oldInfo); // the old connection's clean-up

        ActiveMQTextMessage command = new ActiveMQTextMessage();
        command.setStringProperty(CommandSelector.MEMBER_ID, "m1");
        boolean delivered = dispatch.dispatch(command, new MessageEvaluationContext(), List.of(newSubscription));

        assertThat(delivered).isTrue();
        verify(newSubscription).add(command);
        verify(oldSubscription, never()).add(any());
        assertThat(dispatch.fullDispatches()).as("through the index").isZero();
    }

    private static ConsumerInfo consumer(ConsumerId id) {
        ConsumerInfo info = new ConsumerInfo(id);
        info.setDestination(COMMANDS);
        info.setSelector("memberId = 'm1'");
        return info;
    }

    private static TopicSubscription subscription(ConsumerInfo info) throws Exception {
        TopicSubscription subscription = mock(TopicSubscription.class);
        when(subscription.getConsumerInfo()).thenReturn(info);
        when(subscription.matches(any(), any())).thenReturn(true);
        return subscription;
    }
}
