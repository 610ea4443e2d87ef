package org.stratos.update.messaging.event;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;
import org.stratos.update.messaging.event.topology.ClusterActivatedEvent;
import org.stratos.update.messaging.event.topology.ClusterInactivatedEvent;
import org.stratos.update.messaging.event.topology.ClusterPatchingEvent;
import org.stratos.update.messaging.event.topology.CompleteTopologyEvent;
import org.stratos.update.messaging.event.topology.MemberActivatedEvent;
import org.stratos.update.messaging.event.topology.MemberSuspendedEvent;
import org.stratos.update.messaging.event.topology.MemberTerminatedEvent;
import org.stratos.update.messaging.event.topology.MemberUpdatingEvent;

/**
 * Topic names of the event classes, following Stratos: the package below {@code messaging.event}, dot-separated,
 * then the class name. MQTT clients see the same names with {@code /}.
 */
public final class EventTopics {

    /** JMS string property carrying the addressed member, for broker-side selectors on command topics. */
    public static final String MEMBER_ID_PROPERTY = "memberId";

    private static final String EVENT_PACKAGE = EventTopics.class.getPackageName() + ".";

    /** Every event class this project speaks, with its topic. */
    public static final List<Class<?>> EVENT_CLASSES = List.of(
            SoftwareUpdateEvent.class,
            InstanceStartedEvent.class,
            InstanceActivatedEvent.class,
            InstanceUpdatingEvent.class,
            InstanceUpdatedEvent.class,
            InstanceUpdateFailedEvent.class,
            MemberUpdatingEvent.class,
            MemberActivatedEvent.class,
            MemberSuspendedEvent.class,
            MemberTerminatedEvent.class,
            ClusterPatchingEvent.class,
            ClusterActivatedEvent.class,
            ClusterInactivatedEvent.class,
            CompleteTopologyEvent.class);

    private static final Map<String, Class<?>> BY_TOPIC =
            EVENT_CLASSES.stream().collect(Collectors.toUnmodifiableMap(EventTopics::topicOf, Function.identity()));

    private EventTopics() {}

    /** {@code instance.status.InstanceUpdatedEvent} for {@code InstanceUpdatedEvent.class}. */
    public static String topicOf(Class<?> eventClass) {
        String name = eventClass.getName();
        if (!name.startsWith(EVENT_PACKAGE)) {
            throw new IllegalArgumentException(name + " is not an event class below " + EVENT_PACKAGE);
        }
        return name.substring(EVENT_PACKAGE.length());
    }

    /** The event class published on a topic, or null for a topic this project does not know. */
    public static Class<?> classOf(String topic) {
        return BY_TOPIC.get(topic);
    }
}
