package org.stratos.update.update;

/**
 * What an agent reported at the end of a command: success or not, the command's exit code, the kind of failure (one of
 * {@code InstanceUpdateFailedEvent.FAILURES}), the reason, the end of its output, and Puppet's changed and failed
 * resources when the agent could read them.
 */
public record AgentReport(
        boolean success,
        Integer exitCode,
        String failure,
        String reason,
        String outputTail,
        long durationMillis,
        Integer resourcesChanged,
        Integer resourcesFailed) {

    /** One line for the record of a report that came too late: what it said. */
    String describe(String version) {
        StringBuilder s = new StringBuilder(success ? "success: " + version + " applied" : "failure: " + reason);
        if (failure != null) {
            s.append(" [").append(failure).append(']');
        }
        if (exitCode != null) {
            s.append(", exit ").append(exitCode);
        }
        if (resourcesChanged != null || resourcesFailed != null) {
            s.append(", resources changed ")
                    .append(resourcesChanged)
                    .append(" failed ")
                    .append(resourcesFailed);
        }
        return s.append(", after ").append(durationMillis).append(" ms").toString();
    }
}
