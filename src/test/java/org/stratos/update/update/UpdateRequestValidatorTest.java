package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.InvalidInputException.FieldError;
import org.stratos.update.support.Growth;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.RuntimeKind;

class UpdateRequestValidatorTest {

    static final Cluster MYSQL = cluster("mysql", "mysql", false, 0);
    static final Cluster PHP = cluster("php", "php", false, 1);
    static final Cluster WEB = cluster("web", "kubernetes", true, 1);
    static final List<Cluster> SHOP = List.of(WEB, PHP, MYSQL);

    static Cluster cluster(String alias, String type, boolean container, int stage) {
        return new Cluster(
                Cluster.idOf("shop", alias, type),
                "shop",
                alias,
                type,
                RuntimeKind.SIMULATED,
                container,
                container ? "stratos/php:4.1.5" : "1.0",
                ClusterState.ACTIVE,
                stage,
                4,
                null);
    }

    static UpdateRequest request(List<String> clusters, String version, String image, Boolean compatible) {
        return new UpdateRequest(
                clusters, null, version, image, compatible, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void clustersAreTakenInStartupOrderWithTheDefaults() {
        UpdateRequestValidator.Checked checked = UpdateRequestValidator.validate(
                request(List.of("web", "php", "mysql"), "4.1.6", "stratos/php:4.1.6", true), SHOP);

        assertThat(checked.clusters()).extracting(Cluster::alias).containsExactly("mysql", "php", "web");
        assertThat(checked.targetOf(PHP)).isEqualTo("4.1.6");
        assertThat(checked.targetOf(WEB)).isEqualTo("stratos/php:4.1.6");
        UpdateSettings s = checked.settings();
        assertThat(s.batchFor(6)).isEqualTo(2);
        assertThat(s.failureBudgetFor(6)).isZero();
        assertThat(s.healthTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.approval()).isEqualTo(Approval.NONE);
        assertThat(s.autoRollback()).isTrue();
        assertThat(s.surge()).isFalse();
    }

    @Test
    void theWorkGrowsLinearlyWithTheClustersNamed() {
        // every cluster of a large application named once: the old check for a cluster named twice was quadratic
        double growth = Growth.eightfold(10_000, n -> {
            List<Cluster> clusters = IntStream.range(0, n)
                    .mapToObj(i -> cluster("c" + i, "php", false, 0))
                    .toList();
            UpdateRequest all = request(clusters.stream().map(Cluster::alias).toList(), "2.0", null, true);
            return () -> UpdateRequestValidator.validate(all, clusters);
        });

        assertThat(growth).as("CPU time at 80,000 clusters / at 10,000").isLessThan(32);
    }

    @Test
    void aMillionUnknownAliasesAreCountedAndAFewListedWithAFewOfTheKnownOnes() {
        List<Cluster> many = IntStream.range(0, 30)
                .mapToObj(i -> cluster("c" + i, "php", false, 0))
                .toList();
        List<String> unknown =
                IntStream.range(0, 1_000_000).mapToObj(i -> "nope" + i).toList();

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> UpdateRequestValidator.validate(request(unknown, "2.0", null, true), many));

        assertThat(e.count()).isEqualTo(1_000_000);
        assertThat(e.errors()).hasSize(20);
        assertThat(e.errors().get(0).reason())
                .isEqualTo("'nope0' is not a cluster of this application (known: c0, c1, c10, c11, c12, c13, c14, "
                        + "c15, c16, c17 and 20 more)");
    }

    @Test
    void aPreflightIsNoneByDefaultNoopOnRequestAndAnythingElseIsRefusedNamingTheField() {
        assertThat(UpdateRequestValidator.validate(request(List.of("php"), "4.1.6", null, true), SHOP)
                        .settings()
                        .preflight())
                .isFalse();
        assertThat(UpdateRequestValidator.validate(withPreflight(List.of("php", "web"), "noop"), SHOP)
                        .settings()
                        .preflight())
                .isTrue();
        assertThat(UpdateRequestValidator.validate(withPreflight(List.of("php"), "none"), SHOP)
                        .settings()
                        .preflight())
                .isFalse();

        InvalidInputException unknown = catchThrowableOfType(
                InvalidInputException.class,
                () -> UpdateRequestValidator.validate(withPreflight(List.of("php"), "dry-run"), SHOP));
        assertThat(unknown.errors()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("preflight");
            assertThat(f.reason()).isEqualTo("'dry-run' is not one of none, noop");
        });
        InvalidInputException containersOnly = catchThrowableOfType(
                InvalidInputException.class,
                () -> UpdateRequestValidator.validate(withPreflight(List.of("web"), "noop"), SHOP));
        assertThat(containersOnly.errors()).extracting(FieldError::field).containsExactly("preflight");
    }

    private static UpdateRequest withPreflight(List<String> clusters, String preflight) {
        return new UpdateRequest(
                clusters,
                null,
                "4.1.6",
                "stratos/php:4.1.6",
                true,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                preflight);
    }

    @Test
    void aCartridgeTypeSelectsEveryClusterOfThatType() {
        UpdateRequest byType = new UpdateRequest(
                null,
                "kubernetes",
                null,
                "stratos/php:5",
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        assertThat(UpdateRequestValidator.validate(byType, SHOP).clusters()).containsExactly(WEB);
    }

    @Test
    void everyBadFieldIsNamedWithItsReason() {
        UpdateRequest bad = new UpdateRequest(
                List.of("php", "nope", "web"),
                null,
                "4.1.6; reboot",
                null,
                null,
                "0",
                "150%",
                120,
                "5 minutes",
                "-PT1S",
                "PT0S",
                "PT0S",
                "sometimes",
                null,
                null);

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> UpdateRequestValidator.validate(bad, SHOP));

        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "clusters[1]",
                        "imageId",
                        "version",
                        "compatible",
                        "batchSize",
                        "maxFailures",
                        "minHealthyPercent",
                        "healthTimeout",
                        "minHealthyTime",
                        "updateTimeout",
                        "approval");
        assertThat(e.errors())
                .filteredOn(f -> f.field().equals("clusters[1]"))
                .singleElement()
                .extracting(FieldError::reason)
                .asString()
                .contains("'nope' is not a cluster")
                .contains("mysql, php, web");
    }

    @ParameterizedTest(name = "batchSize {0} is refused")
    @CsvSource({"0", "0%", "101%", "-1", "abc", "2.5"})
    void batchSizesOutsideTheRulesAreRefused(String batch) {
        UpdateRequest r = new UpdateRequest(
                List.of("php"), null, "2", null, true, batch, null, null, null, null, null, null, null, null, null);

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> UpdateRequestValidator.validate(r, SHOP));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("batchSize");
    }

    @Test
    void approvalIsForPhasedUpdatesOnly() {
        UpdateRequest r = new UpdateRequest(
                List.of("php"),
                null,
                "2",
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "afterFirstBatch",
                null,
                null);

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> UpdateRequestValidator.validate(r, SHOP));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("approval");
    }

    @Test
    void clustersAndCartridgeTypeAreExclusive() {
        UpdateRequest both = new UpdateRequest(
                List.of("php"), "php", "2", null, true, null, null, null, null, null, null, null, null, null, null);

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> UpdateRequestValidator.validate(both, SHOP));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("clusters");
    }
}
