package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to manager: the update failed. {@code exitCode} is the command's (null when it never ran or was killed
 * on time-out); {@code reason} says what failed in one line; {@code outputTail} is the end of the command's output
 * (for Puppet always including its {@code Error:} lines). {@code failure} says what kind of failure it was, one of
 * {@link #FAILURES}; for {@code DISABLED}, {@code LOCKED} and {@code EXPIRED} nothing ran, so the member did not
 * change. With {@code noop} it was a pre-flight that found the update would fail; nothing changed.
 * {@code resourcesChanged} and {@code resourcesFailed} come from Puppet's last run summary when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceUpdateFailedEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        boolean rollback,
        Integer exitCode,
        String reason,
        String outputTail,
        long durationMillis,
        String failure,
        boolean noop,
        Integer resourcesChanged,
        Integer resourcesFailed) {

    /** The update command ran and exited with a code that is not a success (Puppet: 1, 4, 6). */
    public static final String COMMAND_FAILED = "COMMAND_FAILED";
    /** The update command could not be started (no such file, no permission). */
    public static final String COULD_NOT_RUN = "COULD_NOT_RUN";
    /** The update command was still running at its time-out (or the deadline) and was stopped. */
    public static final String TIMED_OUT = "TIMED_OUT";
    /** The command succeeded but the health check did not pass (in time, or for long enough). */
    public static final String HEALTH_CHECK_FAILED = "HEALTH_CHECK_FAILED";
    /** Puppet is administratively disabled on the member ({@code puppet agent --disable}): nothing ran. */
    public static final String DISABLED = "DISABLED";
    /** Another Puppet run held the run lock until the deadline: nothing ran. */
    public static final String LOCKED = "LOCKED";
    /** The deadline had passed before the run could start: nothing ran. */
    public static final String EXPIRED = "EXPIRED";

    /** Every kind of failure, in the order above. */
    public static final java.util.List<String> FAILURES =
            java.util.List.of(COMMAND_FAILED, COULD_NOT_RUN, TIMED_OUT, HEALTH_CHECK_FAILED, DISABLED, LOCKED, EXPIRED);

    /** True when nothing ran on the member, so it still runs what it ran before the command. */
    public static boolean unchanged(String failure) {
        return DISABLED.equals(failure) || LOCKED.equals(failure) || EXPIRED.equals(failure);
    }
}
