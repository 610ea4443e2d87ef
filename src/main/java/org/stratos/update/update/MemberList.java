package org.stratos.update.update;

import java.util.List;
import java.util.stream.Collectors;

/** Members named in a message (an update's or a cluster's): each with its progress and its run's reason, a few. */
final class MemberList {

    static final int SHOWN = 5;

    private MemberList() {}

    /** {@code "m1 (FAILED: puppet exited with 4), m2 (NOT_APPLIED: ...)"}, at most {@value #SHOWN} and a count. */
    static String of(List<MemberRecord> members, RunPhase phase) {
        String shown = members.stream()
                .limit(SHOWN)
                .map(m ->
                        m.memberId() + " (" + (phase == RunPhase.PREFLIGHT ? "pre-flight " + m.preflight() : m.state())
                                + reason(m.run(phase)) + ")")
                .collect(Collectors.joining(", "));
        return members.size() > SHOWN ? shown + " and " + (members.size() - SHOWN) + " more" : shown;
    }

    private static String reason(RunResult run) {
        return run.message() == null ? "" : ": " + run.message();
    }
}
