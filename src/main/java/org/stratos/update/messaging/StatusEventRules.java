package org.stratos.update.messaging;

import java.util.regex.Pattern;
import org.stratos.update.common.FieldErrors;
import org.stratos.update.common.InputRules;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * The fields of what agents report, checked with the API's rules ({@link InputRules}) before anything is looked up or
 * stored: ids, versions (or image ids) and addresses that break them are refused here as they are at {@code /api}.
 * The field table in {@code docs/architecture.md} says which fields are required.
 */
final class StatusEventRules {

    static final int MAX_REASON = 4000;
    static final int MAX_OUTPUT = 16_384;
    static final int MAX_HEALTH_CHECK = 2000;

    private StatusEventRules() {}

    /** The member an event speaks for, and the cluster it names. */
    record Subject(String memberId, String clusterId) {}

    static Subject subjectOf(Object event) {
        if (event instanceof InstanceStartedEvent e) {
            return new Subject(e.memberId(), e.clusterId());
        } else if (event instanceof InstanceActivatedEvent e) {
            return new Subject(e.memberId(), e.clusterId());
        } else if (event instanceof InstanceUpdatingEvent e) {
            return new Subject(e.memberId(), e.clusterId());
        } else if (event instanceof InstanceUpdatedEvent e) {
            return new Subject(e.memberId(), e.clusterId());
        } else if (event instanceof InstanceUpdateFailedEvent e) {
            return new Subject(e.memberId(), e.clusterId());
        }
        throw notStatus(event);
    }

    /** Checks every field; throws, naming each broken rule's field, when any is broken. */
    static void check(Object event) {
        FieldErrors errors = new FieldErrors();
        if (event instanceof InstanceStartedEvent e) {
            member(
                    errors,
                    e.applicationId(),
                    e.serviceName(),
                    e.clusterId(),
                    e.memberId(),
                    e.version(),
                    e.address(),
                    e.clusterInstanceId(),
                    e.networkPartitionId(),
                    e.partitionId());
        } else if (event instanceof InstanceActivatedEvent e) {
            member(
                    errors,
                    e.applicationId(),
                    e.serviceName(),
                    e.clusterId(),
                    e.memberId(),
                    e.version(),
                    e.address(),
                    e.clusterInstanceId(),
                    e.networkPartitionId(),
                    e.partitionId());
        } else if (event instanceof InstanceUpdatingEvent e) {
            report(errors, e.updateId(), e.applicationId(), e.serviceName(), e.clusterId(), e.memberId(), e.version());
        } else if (event instanceof InstanceUpdatedEvent e) {
            report(errors, e.updateId(), e.applicationId(), e.serviceName(), e.clusterId(), e.memberId(), e.version());
            outcome(errors, e.durationMillis(), e.resourcesChanged(), e.resourcesFailed());
            longText(errors, "healthCheck", e.healthCheck(), MAX_HEALTH_CHECK);
        } else if (event instanceof InstanceUpdateFailedEvent e) {
            report(errors, e.updateId(), e.applicationId(), e.serviceName(), e.clusterId(), e.memberId(), e.version());
            outcome(errors, e.durationMillis(), e.resourcesChanged(), e.resourcesFailed());
            longText(errors, "reason", e.reason(), MAX_REASON);
            longText(errors, "outputTail", e.outputTail(), MAX_OUTPUT);
            if (e.failure() != null && !InstanceUpdateFailedEvent.FAILURES.contains(e.failure())) {
                errors.add(
                        "failure",
                        "'" + abbreviate(e.failure()) + "' is not one of "
                                + String.join(", ", InstanceUpdateFailedEvent.FAILURES));
            }
        } else {
            throw notStatus(event);
        }
        errors.throwIfAny();
    }

    private static IllegalArgumentException notStatus(Object event) {
        return new IllegalArgumentException(
                "not a status event: " + event.getClass().getName());
    }

    private static void member(
            FieldErrors errors,
            String applicationId,
            String serviceName,
            String clusterId,
            String memberId,
            String version,
            String address,
            String clusterInstanceId,
            String networkPartitionId,
            String partitionId) {
        ids(errors, applicationId, serviceName, clusterId, memberId);
        software(errors, version);
        rule(errors, "address", address, InputRules.ADDRESS, InputRules.ADDRESS_RULE);
        rule(errors, "clusterInstanceId", clusterInstanceId, InputRules.NAME, InputRules.NAME_RULE);
        rule(errors, "networkPartitionId", networkPartitionId, InputRules.NAME, InputRules.NAME_RULE);
        rule(errors, "partitionId", partitionId, InputRules.NAME, InputRules.NAME_RULE);
    }

    private static void report(
            FieldErrors errors,
            String updateId,
            String applicationId,
            String serviceName,
            String clusterId,
            String memberId,
            String version) {
        if (errors.required("updateId", updateId)) {
            rule(errors, "updateId", updateId, InputRules.NAME, InputRules.NAME_RULE);
        }
        ids(errors, applicationId, serviceName, clusterId, memberId);
        if (errors.required("version", version)) {
            software(errors, version);
        }
    }

    private static void ids(
            FieldErrors errors, String applicationId, String serviceName, String clusterId, String memberId) {
        if (errors.required("applicationId", applicationId)) {
            rule(errors, "applicationId", applicationId, InputRules.ID, InputRules.ID_RULE);
        }
        rule(errors, "serviceName", serviceName, InputRules.ID, InputRules.ID_RULE);
        if (errors.required("clusterId", clusterId)) {
            rule(errors, "clusterId", clusterId, InputRules.MEMBER_ID, InputRules.MEMBER_ID_RULE);
        }
        if (errors.required("memberId", memberId)) {
            rule(errors, "memberId", memberId, InputRules.MEMBER_ID, InputRules.MEMBER_ID_RULE);
        }
    }

    /** A member runs a version (VM cartridges) or an image (container cartridges). */
    private static void software(FieldErrors errors, String version) {
        if (version != null
                && (version.length() > 255
                        || !InputRules.VERSION.matcher(version).matches()
                                && !InputRules.IMAGE.matcher(version).matches())) {
            errors.add(
                    "version",
                    "'" + abbreviate(version) + "' " + InputRules.VERSION_RULE + ", nor a Docker image reference");
        }
    }

    private static void outcome(FieldErrors errors, long durationMillis, Integer changed, Integer failed) {
        if (durationMillis < 0) {
            errors.add("durationMillis", "must not be negative");
        }
        if (changed != null && changed < 0) {
            errors.add("resourcesChanged", "must not be negative");
        }
        if (failed != null && failed < 0) {
            errors.add("resourcesFailed", "must not be negative");
        }
    }

    private static void rule(FieldErrors errors, String field, String value, Pattern pattern, String rule) {
        if (value != null && value.length() > 255) {
            errors.add(field, "is longer than 255 characters (" + value.length() + ")");
        } else {
            errors.matches(field, value, pattern, rule);
        }
    }

    private static void longText(FieldErrors errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(field, "is longer than " + max + " characters (" + value.length() + ")");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
