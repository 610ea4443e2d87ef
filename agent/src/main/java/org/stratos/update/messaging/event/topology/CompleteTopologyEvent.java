package org.stratos.update.messaging.event.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Manager to everyone: the whole topology as it is at {@code takenAt} (ISO-8601 UTC), as Stratos' cloud controller
 * sends it for subscribers to start from. The manager sends it when its connection to the broker comes back after an
 * outage, during which the single {@code topology.*} events were not sent: a subscriber replaces its view with it.
 * Terminated members are left out (they left the topology); states are Stratos' names ({@code Active},
 * {@code Updating}, {@code Patching}, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompleteTopologyEvent(String takenAt, List<Application> applications) {

    /** One application and its clusters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Application(String applicationId, List<Cluster> clusters) {}

    /** One cluster: {@code version} is the software (version or image id) it runs or is being brought to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cluster(String serviceName, String clusterId, String state, String version, List<Member> members) {}

    /** One member, with the software it runs (for Updating: the version being applied). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Member(String memberId, String state, String version) {}
}
