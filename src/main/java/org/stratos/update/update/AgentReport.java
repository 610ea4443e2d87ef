package org.stratos.update.update;

/** What an agent reported at the end of an update command, as the flow receives it. */
public record AgentReport(boolean success, Integer exitCode, String reason, String outputTail, long durationMillis) {
}
