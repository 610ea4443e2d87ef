package org.stratos.update.agent;

/**
 * How an update command ended.
 *
 * @param exitCode       the process's exit code; null when it was killed on time-out or never ran
 * @param success        whether the member now runs the new software (Puppet: exit 0 or 2)
 * @param timedOut       killed because it ran longer than allowed
 * @param outputTail     the end of its output (stdout and stderr merged), or why it could not run
 * @param durationMillis how long it ran
 */
public record CommandResult(
        Integer exitCode, boolean success, boolean timedOut, String outputTail, long durationMillis) {

    public static CommandResult exited(int exitCode, boolean success, String outputTail, long durationMillis) {
        return new CommandResult(exitCode, success, false, outputTail, durationMillis);
    }

    public static CommandResult timedOut(String outputTail, long durationMillis) {
        return new CommandResult(null, false, true, outputTail, durationMillis);
    }

    /** The command could not be started at all; {@code why} goes where its output would have gone. */
    public static CommandResult notStarted(String why, long durationMillis) {
        return new CommandResult(null, false, false, why, durationMillis);
    }
}
