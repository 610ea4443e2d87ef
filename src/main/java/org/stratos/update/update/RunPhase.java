package org.stratos.update.update;

/**
 * The three runs the manager may ask of a member's agent within one update: the pre-flight (a no-op run before any
 * member changes), the update itself, and its rollback. Each keeps its own result in the member's record, side by side
 * (columns with the phase's {@link #prefix()}), so a rollback never hides why the update failed.
 */
public enum RunPhase {
    PREFLIGHT("preflight_", "pre-flight"),
    UPDATE("", "update"),
    ROLLBACK("rollback_", "rollback");

    private final String prefix;
    private final String label;

    RunPhase(String prefix, String label) {
        this.prefix = prefix;
        this.label = label;
    }

    /** The run an agent's command or report belongs to, from its {@code rollback} and {@code noop} flags. */
    public static RunPhase of(boolean rollback, boolean noop) {
        return noop ? PREFLIGHT : rollback ? ROLLBACK : UPDATE;
    }

    /** The run a member's progress belongs to: the rollback's states, or the update's. */
    static RunPhase of(MemberProgress state) {
        return state == MemberProgress.ROLLING_BACK
                        || state == MemberProgress.ROLLED_BACK
                        || state == MemberProgress.ROLLBACK_FAILED
                ? ROLLBACK
                : UPDATE;
    }

    boolean rollback() {
        return this == ROLLBACK;
    }

    boolean noop() {
        return this == PREFLIGHT;
    }

    /** The phase's column {@code name} ({@code exit_code}, {@code message}, ...) of {@code stratos_update_member}. */
    String column(String name) {
        return prefix + name;
    }

    /** The version the phase brings the member to: the previous one for a rollback, the target otherwise. */
    String target(MemberRecord rec) {
        return this == ROLLBACK ? rec.fromVersion() : rec.toVersion();
    }

    @Override
    public String toString() {
        return label;
    }
}
