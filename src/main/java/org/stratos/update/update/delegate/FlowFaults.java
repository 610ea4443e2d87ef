package org.stratos.update.update.delegate;

import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * A technical fault of a step that works on members is retried and then becomes an incident; its message (what
 * Cockpit shows on the incident) names the step, the update, the member(s) and the reason, e.g.
 * {@code Send the update commands to the agents (update upd-1a2b…, members shop.php.php.domain1a2b…): Could not
 * connect to broker URL…}. Business outcomes (BPMN errors) and the engine's own optimistic-locking retries pass as
 * they are.
 */
final class FlowFaults {

    static final int MEMBERS_NAMED = 10;

    private FlowFaults() {}

    static <T> T naming(DelegateExecution execution, List<String> members, Supplier<T> step) {
        try {
            return step.get();
        } catch (BpmnError | OptimisticLockingException passOn) {
            throw passOn;
        } catch (RuntimeException fault) {
            throw new MemberStepFailed(
                    execution.getCurrentActivityName() + " (update "
                            + execution.getVariable(org.stratos.update.update.FlowVariables.UPDATE_ID) + ", "
                            + named(members) + "): " + reason(fault),
                    fault);
        }
    }

    static void naming(DelegateExecution execution, List<String> members, Runnable step) {
        naming(execution, members, () -> {
            step.run();
            return null;
        });
    }

    private static String named(List<String> members) {
        String listed = String.join(", ", members.subList(0, Math.min(MEMBERS_NAMED, members.size())));
        return (members.size() == 1 ? "member " : "members ")
                + listed
                + (members.size() > MEMBERS_NAMED ? " and " + (members.size() - MEMBERS_NAMED) + " more" : "");
    }

    /** The fault's message, and its root cause's when that says something else. */
    private static String reason(Throwable fault) {
        Throwable root = fault;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(fault.getMessage());
        return root == fault || root.getMessage() == null || message.contains(root.getMessage())
                ? message
                : message + ": " + root.getMessage();
    }

    /** A step on members failed for a technical reason; the cause is kept for the stack trace. */
    static final class MemberStepFailed extends RuntimeException {

        MemberStepFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
