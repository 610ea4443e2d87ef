package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RunPhase;

/** Typed reads of the flows' variables. */
final class Vars {

    private Vars() {}

    static String updateId(VariableScope scope) {
        return required(scope, FlowVariables.UPDATE_ID);
    }

    static String clusterId(VariableScope scope) {
        return required(scope, FlowVariables.CLUSTER_ID);
    }

    static String memberId(VariableScope scope) {
        return required(scope, FlowVariables.MEMBER_ID);
    }

    static boolean rollback(VariableScope scope) {
        return Boolean.TRUE.equals(scope.getVariable(FlowVariables.ROLLBACK));
    }

    /** The run a batch flow carries out: the update, its rollback ({@code rollback}) or a pre-flight ({@code noop}). */
    static RunPhase phase(VariableScope scope) {
        return RunPhase.of(rollback(scope), Boolean.TRUE.equals(scope.getVariable(FlowVariables.NOOP)));
    }

    static String string(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        return value == null ? null : value.toString();
    }

    static int integer(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        if (value instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalStateException("variable '" + name + "' is not a number: " + value);
    }

    /** A list of ids (the flows carry them as JSON text: {@link FlowLists}). */
    static java.util.List<String> strings(VariableScope scope, String name) {
        try {
            return FlowLists.strings(scope.getVariable(name));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("variable '" + name + "' is " + e.getMessage(), e);
        }
    }

    private static String required(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        if (value == null) {
            throw new IllegalStateException("variable '" + name + "' is missing");
        }
        return value.toString();
    }
}
