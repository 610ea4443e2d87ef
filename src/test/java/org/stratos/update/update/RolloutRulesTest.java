package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.stratos.update.update.RequestedAction.ABORT;
import static org.stratos.update.update.RequestedAction.ABORT_AND_ROLL_BACK;
import static org.stratos.update.update.RequestedAction.PAUSE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;

/**
 * The rollout's rules, one table per rule, every branch (in the manner of argo-rollouts' replica-set arithmetic
 * tests). Members are written {@code a1} (Active), {@code s1} (Suspended), {@code u1} (Updating), {@code t1}
 * (Terminated), on version 1.0 unless {@code @version} follows.
 */
class RolloutRulesTest {

    // ---- batch planning

    static Stream<Arguments> sizing() {
        return Stream.of(
                // description, members, phased, batchSize, maxFailures, minHealthy%, batch, budget, floor
                arguments("25% of 10 rounds up", 10, true, "25%", "0", 0, 3, 0, 0),
                arguments("a count, a percentage budget rounding down", 10, true, "3", "15%", 50, 3, 1, 5),
                arguments("a batch larger than the cluster is the cluster", 4, true, "10", "1", 75, 4, 1, 3),
                arguments("an empty cluster still has a batch of 1", 0, true, "25%", "0", 50, 1, 0, 0),
                arguments("a batch of 0 is 1", 3, true, "0", "0", 0, 1, 0, 0),
                arguments("halves: batch rounds up, budget down", 7, true, "50%", "50%", 100, 4, 3, 7),
                arguments("the floor rounds up", 3, true, "1", "0", 34, 1, 0, 2),
                arguments("all at once: one batch, no floor", 10, false, "25%", "20%", 80, 10, 2, 0),
                arguments("all at once, empty cluster", 0, false, "25%", "1", 80, 0, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizing")
    void sizesTheCluster(
            String description,
            int members,
            boolean phased,
            String batchSize,
            String maxFailures,
            int minHealthyPercent,
            int batch,
            int budget,
            int floor) {
        assertThat(RolloutRules.sizeCluster(
                        members, phased, Quantity.parse(batchSize), Quantity.parse(maxFailures), minHealthyPercent))
                .isEqualTo(new RolloutRules.ClusterSizing(batch, budget, floor));
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                // description, live members, target, members the update takes, in order
                arguments(
                        "Suspended first, then Active not on target; others left",
                        "a1 s2 a3@2.0 u4 t5",
                        "2.0",
                        "s2 a1"),
                arguments("every member on target: none", "a1@2.0 a2@2.0", "2.0", ""),
                arguments("a Suspended member on the target is repaired too", "a1@2.0 s2@2.0", "2.0", "s2"),
                arguments("order kept within each kind", "a3 s9 a1 s2", "2.0", "s9 s2 a3 a1"),
                arguments("no members", "", "2.0", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void takesTheMembersNotOnTheTarget(String description, String live, String target, String expected) {
        assertThat(ids(RolloutRules.targets(members(live), target))).isEqualTo(idList(expected));
    }

    // ---- the healthy floor

    static Stream<Arguments> batches() {
        return Stream.of(
                // description, pending, Active in the cluster, batchSize, minHealthy, the batch
                arguments("no floor: a full batch", "a1 a2 a3 a4", 4, 2, 0, "a1 a2"),
                arguments("the floor limits the batch", "a1 a2 a3 a4", 4, 4, 3, "a1"),
                arguments("exactly at the floor: no room at all", "a1 a2", 2, 2, 2, ""),
                arguments("already below the floor: no room at all", "a1 a2", 1, 2, 3, ""),
                arguments("Suspended members take no room under the floor", "s1 s2 a1 a2", 2, 3, 2, "s1 s2"),
                arguments("Suspended first, then what the floor allows", "s1 a1 a2", 2, 3, 1, "s1 a1"),
                arguments("Suspended members still fill only a batch", "s1 s2 s3", 0, 2, 5, "s1 s2"),
                arguments(
                        "an Active member over the floor is skipped, a later Suspended one taken",
                        "a1 a2 s1",
                        2,
                        3,
                        1,
                        "a1 s1"),
                arguments("nothing pending", "", 5, 2, 0, ""),
                arguments("a batch size of 0 takes nobody", "a1 a2 a3", 3, 0, 0, ""),
                arguments("floor of the whole cluster: only the Suspended", "a1 s1 a2", 2, 3, 2, "s1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void neverTakesTheClusterBelowItsHealthyFloor(
            String description, String pending, long active, int batchSize, int minHealthy, String expected) {
        List<Member> batch = RolloutRules.nextBatch(members(pending), active, batchSize, minHealthy);

        assertThat(ids(batch)).isEqualTo(idList(expected));
        long activeLeft = active
                - batch.stream().filter(m -> m.state() == MemberState.ACTIVE).count();
        assertThat(activeLeft >= minHealthy || batch.stream().noneMatch(m -> m.state() == MemberState.ACTIVE))
                .as("Active members left (%d) stay at or above the floor (%d)", activeLeft, minHealthy)
                .isTrue();
    }

    // ---- the failure budget

    static Stream<Arguments> budgets() {
        return Stream.of(
                // failed, budget, exceeded
                arguments(0, 0, false), arguments(1, 0, true), arguments(2, 2, false), arguments(3, 2, true));
    }

    @ParameterizedTest(name = "{0} failed, budget {1}: exceeded {2}")
    @MethodSource("budgets")
    void spendsTheBudgetOnlyPastMaxFailures(int failed, int budget, boolean exceeded) {
        assertThat(RolloutRules.budgetExceeded(failed, budget)).isEqualTo(exceeded);
    }

    // ---- the next step of a phased cluster

    static Stream<Arguments> steps() {
        return Stream.of(
                // description, aborted, pause requested, pending, approval due, batch that fits, step
                arguments("an abort stops, whatever else holds", true, true, 3, true, 2, RolloutStep.STOP),
                arguments("an abort stops even when nothing is pending", true, false, 0, false, 0, RolloutStep.STOP),
                arguments(
                        "nothing pending is done, even with a pause asked", false, true, 0, true, 0, RolloutStep.DONE),
                arguments("a pause comes before an approval", false, true, 3, true, 2, RolloutStep.PAUSE),
                arguments(
                        "an approval is asked before the floor is looked at",
                        false,
                        false,
                        3,
                        true,
                        0,
                        RolloutStep.APPROVE),
                arguments("no room under the floor stops", false, false, 3, false, 0, RolloutStep.STOP),
                arguments("else the batch goes", false, false, 3, false, 2, RolloutStep.BATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void decidesTheNextStep(
            String description,
            boolean aborted,
            boolean pause,
            int pending,
            boolean approvalDue,
            int batch,
            RolloutStep expected) {
        assertThat(RolloutRules.nextStep(new RolloutRules.StepFacts(aborted, pause, pending, approvalDue, batch)))
                .isEqualTo(expected);
    }

    static Stream<Arguments> approvals() {
        return Stream.of(
                // policy, next batch, last approved batch, waits
                arguments(Approval.NONE, 2, 0, false),
                arguments(Approval.AFTER_FIRST_BATCH, 1, 0, false),
                arguments(Approval.AFTER_FIRST_BATCH, 2, 0, true),
                arguments(Approval.AFTER_FIRST_BATCH, 2, 2, false),
                arguments(Approval.AFTER_FIRST_BATCH, 3, 2, false),
                arguments(Approval.EVERY_BATCH, 1, 0, false),
                arguments(Approval.EVERY_BATCH, 3, 2, true),
                arguments(Approval.EVERY_BATCH, 3, 3, false));
    }

    @ParameterizedTest(name = "{0}, batch {1}, approved up to {2}: waits {3}")
    @MethodSource("approvals")
    void waitsForAnApprovalOnlyWhenThePolicyAsksAndNoneWasGiven(
            Approval approval, int next, int approved, boolean waits) {
        assertThat(RolloutRules.approvalDue(approval, next, approved)).isEqualTo(waits);
    }

    // ---- how a cluster ends

    static Stream<Arguments> conclusions() {
        return Stream.of(
                // description, requested, over budget, stopped at the floor, autoRollback, not on target, outcome
                arguments(
                        "abort with rollback wins",
                        ABORT_AND_ROLL_BACK,
                        true,
                        true,
                        false,
                        3,
                        ClusterOutcome.ROLLING_BACK),
                arguments("abort wins over a spent budget", ABORT, true, false, true, 0, ClusterOutcome.ABORTED),
                arguments("spent budget, autoRollback", null, true, false, true, 0, ClusterOutcome.ROLLING_BACK),
                arguments("spent budget, no autoRollback", null, true, false, false, 0, ClusterOutcome.FAILED),
                arguments(
                        "stopped at the floor, autoRollback", null, false, true, true, 0, ClusterOutcome.ROLLING_BACK),
                arguments("stopped at the floor, no autoRollback", null, false, true, false, 2, ClusterOutcome.FAILED),
                arguments("a pause asked is no abort", PAUSE, false, false, false, 0, ClusterOutcome.UPDATED),
                arguments("every member on target", null, false, false, false, 0, ClusterOutcome.UPDATED),
                arguments(
                        "members off target within the budget",
                        null,
                        false,
                        false,
                        true,
                        2,
                        ClusterOutcome.UPDATED_WITH_FAILURES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conclusions")
    void concludesTheCluster(
            String description,
            RequestedAction requested,
            boolean overBudget,
            boolean stoppedUnsafe,
            boolean autoRollback,
            int notOnTarget,
            ClusterOutcome expected) {
        assertThat(RolloutRules.concludeCluster(requested, overBudget, stoppedUnsafe, autoRollback, notOnTarget))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} member(s) not back: {1}")
    @MethodSource
    void concludesTheRollback(int notBack, ClusterOutcome expected) {
        assertThat(RolloutRules.rollbackOutcome(notBack)).isEqualTo(expected);
    }

    static Stream<Arguments> concludesTheRollback() {
        return Stream.of(arguments(0, ClusterOutcome.ROLLED_BACK), arguments(1, ClusterOutcome.ROLLBACK_FAILED));
    }

    // ---- how an update ends

    static Stream<Arguments> updateOutcomes() {
        return Stream.of(
                // description, first unfinished cluster, requested, some cluster updated, some pending, outcome
                arguments("nothing unfinished, a cluster pending: it goes", null, null, false, true, null),
                arguments("a pause does not stop the next cluster", null, PAUSE, true, true, null),
                arguments("every cluster through", null, null, true, false, UpdateOutcome.COMPLETED),
                arguments("through, with a pause asked at the end", null, PAUSE, true, false, UpdateOutcome.COMPLETED),
                arguments("abort between clusters", null, ABORT, true, true, UpdateOutcome.ABORTED),
                arguments(
                        "abort with rollback, clusters updated",
                        null,
                        ABORT_AND_ROLL_BACK,
                        true,
                        true,
                        UpdateOutcome.ROLLING_BACK),
                arguments(
                        "abort with rollback, nothing to roll back",
                        null,
                        ABORT_AND_ROLL_BACK,
                        false,
                        true,
                        UpdateOutcome.ABORTED),
                arguments(
                        "a failed cluster, no rollback asked",
                        ClusterProgress.FAILED,
                        null,
                        true,
                        true,
                        UpdateOutcome.FAILED),
                arguments("the first cluster failed", ClusterProgress.FAILED, null, false, false, UpdateOutcome.FAILED),
                arguments(
                        "a cluster rolled back: the earlier ones follow",
                        ClusterProgress.ROLLED_BACK,
                        null,
                        true,
                        true,
                        UpdateOutcome.ROLLING_BACK),
                arguments(
                        "the first cluster rolled back",
                        ClusterProgress.ROLLED_BACK,
                        null,
                        false,
                        true,
                        UpdateOutcome.ROLLED_BACK),
                arguments(
                        "a rollback failed, nothing earlier",
                        ClusterProgress.ROLLBACK_FAILED,
                        null,
                        false,
                        false,
                        UpdateOutcome.ROLLED_BACK),
                arguments(
                        "a rollback failed: the earlier ones follow",
                        ClusterProgress.ROLLBACK_FAILED,
                        null,
                        true,
                        false,
                        UpdateOutcome.ROLLING_BACK),
                arguments("an aborted cluster", ClusterProgress.ABORTED, ABORT, true, true, UpdateOutcome.ABORTED),
                arguments(
                        "a failed cluster, then abort with rollback",
                        ClusterProgress.FAILED,
                        ABORT_AND_ROLL_BACK,
                        true,
                        false,
                        UpdateOutcome.ROLLING_BACK),
                arguments(
                        "a failed first cluster, then abort with rollback",
                        ClusterProgress.FAILED,
                        ABORT_AND_ROLL_BACK,
                        false,
                        false,
                        UpdateOutcome.ABORTED),
                arguments(
                        "a cluster left running is no success",
                        ClusterProgress.RUNNING,
                        null,
                        false,
                        true,
                        UpdateOutcome.FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updateOutcomes")
    void decidesWhatTheUpdateComesTo(
            String description,
            ClusterProgress unfinished,
            RequestedAction requested,
            boolean anyUpdated,
            boolean anyPending,
            UpdateOutcome expected) {
        assertThat(RolloutRules.updateOutcome(unfinished, requested, anyUpdated, anyPending))
                .isEqualTo(Optional.ofNullable(expected));
    }

    static Stream<Arguments> endStates() {
        return Stream.of(
                // outcome, some member off target, some member not back, state recorded
                arguments(UpdateOutcome.COMPLETED, false, true, UpdateState.COMPLETED),
                arguments(UpdateOutcome.COMPLETED, true, false, UpdateState.COMPLETED_WITH_FAILURES),
                arguments(UpdateOutcome.ROLLING_BACK, true, false, UpdateState.ROLLED_BACK),
                arguments(UpdateOutcome.ROLLING_BACK, false, true, UpdateState.ROLLBACK_FAILED),
                arguments(UpdateOutcome.ROLLED_BACK, true, false, UpdateState.ROLLED_BACK),
                arguments(UpdateOutcome.ROLLED_BACK, false, true, UpdateState.ROLLBACK_FAILED),
                arguments(UpdateOutcome.PREFLIGHT_FAILED, true, true, UpdateState.PREFLIGHT_FAILED),
                arguments(UpdateOutcome.ABORTED, true, true, UpdateState.ABORTED),
                arguments(UpdateOutcome.FAILED, false, false, UpdateState.FAILED));
    }

    @ParameterizedTest(name = "{0}, off target {1}, not back {2}: {3}")
    @MethodSource("endStates")
    void recordsWhatIsTrueOfTheMembers(
            UpdateOutcome outcome, boolean someNotOnTarget, boolean someNotBack, UpdateState expected) {
        assertThat(RolloutRules.endState(outcome, someNotOnTarget, someNotBack)).isEqualTo(expected);
    }

    @Test
    void anOutcomeVariableMissingOrUnknownIsAFailureNeverASuccess() {
        assertThat(UpdateOutcome.fromVariable(null)).isEqualTo(UpdateOutcome.FAILED);
        assertThat(UpdateOutcome.fromVariable("completed")).isEqualTo(UpdateOutcome.FAILED);
        assertThat(UpdateOutcome.fromVariable("ROLLED_BACK")).isEqualTo(UpdateOutcome.ROLLED_BACK);
    }

    @ParameterizedTest
    @EnumSource(UpdateOutcome.class)
    void anOutcomeVariableReadsBackAsItself(UpdateOutcome outcome) {
        assertThat(UpdateOutcome.fromVariable(outcome.variableValue())).isEqualTo(outcome);
    }

    // ---- cluster progress holds the outcomes, and the states before one

    @ParameterizedTest
    @EnumSource(ClusterOutcome.class)
    void everyClusterOutcomeIsRecordedAndReadBack(ClusterOutcome outcome) {
        assertThat(ClusterProgress.of(outcome).outcome()).isEqualTo(outcome);
    }

    @ParameterizedTest
    @EnumSource(
            value = ClusterProgress.class,
            names = {"PENDING", "RUNNING"})
    void aClusterNotConcludedHasNoOutcome(ClusterProgress progress) {
        assertThatThrownBy(progress::outcome)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(progress.name());
    }

    // ---- the values the flows' gateways compare

    @ParameterizedTest
    @EnumSource(RolloutStep.class)
    void everyStepHasItsBranchInThePhasedFlow(RolloutStep step) throws IOException {
        assertThat(Files.readString(Path.of("processes/phased-cluster-update.bpmn")))
                .contains("${nextStep == '" + step.variableValue() + "'}");
    }

    @ParameterizedTest
    @EnumSource(value = UpdateOutcome.class, names = "PREFLIGHT_FAILED", mode = EnumSource.Mode.EXCLUDE)
    void everyOutcomeOfTheClustersHasItsBranchInTheUpdateFlow(UpdateOutcome outcome) throws IOException {
        assertThat(Files.readString(Path.of("processes/software-update.bpmn")))
                .contains("updateOutcome == '" + outcome.variableValue() + "'");
    }

    @ParameterizedTest
    @EnumSource(value = ClusterOutcome.class, names = "ROLLBACK_FAILED", mode = EnumSource.Mode.EXCLUDE)
    void everyClusterOutcomeIsComparedInTheClusterFlows(ClusterOutcome outcome) throws IOException {
        String flows = Files.readString(Path.of("processes/phased-cluster-update.bpmn"))
                + Files.readString(Path.of("processes/all-at-once-cluster-update.bpmn"));
        assertThat(flows).contains("clusterOutcome == '" + outcome.variableValue() + "'");
    }

    // ---- helpers

    private static List<Member> members(String spec) {
        return idList(spec).stream().map(RolloutRulesTest::member).toList();
    }

    private static Member member(String spec) {
        String[] idAndVersion = spec.split("@");
        MemberState state = switch (spec.charAt(0)) {
            case 'a' -> MemberState.ACTIVE;
            case 's' -> MemberState.SUSPENDED;
            case 'u' -> MemberState.UPDATING;
            case 't' -> MemberState.TERMINATED;
            default -> throw new IllegalArgumentException(spec);
        };
        return new Member(idAndVersion[0], "c", state, idAndVersion.length > 1 ? idAndVersion[1] : "1.0", null, null);
    }

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }

    private static List<String> idList(String spec) {
        return spec.isBlank() ? List.of() : Arrays.asList(spec.trim().split("\\s+"));
    }
}
