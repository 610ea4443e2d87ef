package org.stratos.update.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.InvalidInputException.FieldError;
import org.stratos.update.support.Growth;

class ApplicationValidatorTest {

    private static NewApplication.NewCluster vm(String alias) {
        return new NewApplication.NewCluster(alias, alias, "puppet", "1.0.0", null, null);
    }

    private static NewApplication app(List<NewApplication.NewCluster> clusters, List<Object> orders) {
        return new NewApplication("shop", null, clusters, new NewApplication.Dependencies(orders));
    }

    @Test
    void startupOrdersGiveEachClusterTheStageAfterThoseItWaitsFor() {
        Map<String, Integer> stages = ApplicationValidator.validate(app(
                List.of(vm("mysql"), vm("php"), vm("web"), vm("cache")),
                List.of(
                        List.of("cartridge.mysql", "cartridge.php", "cartridge.web"),
                        Map.of("aliases", List.of("cartridge.mysql", "cartridge.web")))));

        assertThat(stages)
                .containsEntry("mysql", 0)
                .containsEntry("php", 1)
                .containsEntry("web", 2)
                .containsEntry("cache", 0);
    }

    @Test
    void theWorkGrowsLinearlyWithTheClusters() {
        // every alias distinct: the old look-up in a list of the aliases seen so far was quadratic
        double growth = Growth.eightfold(10_000, n -> {
            List<NewApplication.NewCluster> clusters =
                    IntStream.range(0, n).mapToObj(i -> vm("c" + i)).toList();
            NewApplication app = new NewApplication("big", null, clusters, null);
            return () -> ApplicationValidator.validate(app);
        });

        assertThat(growth).as("CPU time at 80,000 clusters / at 10,000").isLessThan(32);
    }

    @Test
    void startupOrdersMustFitWhereTheyAreStored() throws Exception {
        // the longest chain whose JSON (as stored, 4000 characters at most) fits; one alias more does not
        List<NewApplication.NewCluster> clusters =
                IntStream.range(0, 400).mapToObj(i -> vm("c" + i)).toList();
        List<String> refs =
                IntStream.range(0, 400).mapToObj(i -> "cartridge.c" + i).toList();
        ObjectMapper json = new ObjectMapper();
        int fitting = 0;
        while (json.writeValueAsString(List.of(refs.subList(0, fitting + 1))).length() <= 4000) {
            fitting++;
        }
        int fit = fitting;

        assertThat(ApplicationValidator.validate(app(clusters, List.of(refs.subList(0, fit)))))
                .hasSize(400);
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> ApplicationValidator.validate(app(clusters, List.of(refs.subList(0, fit + 1)))));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("dependencies.startupOrders");
        assertThat(e.errors().get(0).reason()).contains("at most 4000");
    }

    @Test
    void everyBrokenRuleIsCountedButOnlyAFewAreListed() {
        List<NewApplication.NewCluster> clusters =
                IntStream.range(0, 50_000).mapToObj(i -> vm("same")).toList();

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class, () -> ApplicationValidator.validate(app(clusters, List.of())));

        assertThat(e.errors()).hasSize(20);
        assertThat(e.count()).isEqualTo(49_999);
        assertThat(e.getMessage()).endsWith("(and 49998 more)");
    }

    @Test
    void aCycleInTheStartupOrdersIsRefused() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> ApplicationValidator.validate(app(
                        List.of(vm("a"), vm("b")),
                        List.of(List.of("cartridge.a", "cartridge.b"), List.of("cartridge.b", "cartridge.a")))));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("dependencies.startupOrders");
        assertThat(e.errors().get(0).reason()).contains("cycle");
    }

    @Test
    void everyBrokenRuleIsReportedWithItsField() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> ApplicationValidator.validate(new NewApplication(
                        "bad id!",
                        null,
                        List.of(
                                new NewApplication.NewCluster("php", "php", "puppet", null, null, null),
                                new NewApplication.NewCluster("php", "x", "docker", "1", "img:1", -1),
                                new NewApplication.NewCluster("web", "kubernetes", "kubernetes", "1.0", null, null)),
                        new NewApplication.Dependencies(
                                List.of(List.of("cartridge.php", "cartridge.nope", "group.g"))))));

        assertThat(e.errors())
                .extracting(FieldError::field)
                .contains(
                        "applicationId",
                        "clusters[0]",
                        "clusters[0].version",
                        "clusters[1].alias",
                        "clusters[1].runtime",
                        "clusters[1]",
                        "clusters[1].members",
                        "clusters[2].imageId");
    }

    @Test
    void referencesToUnknownClustersAreNamedByTheirPosition() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> ApplicationValidator.validate(app(
                        List.of(vm("php")), List.of(List.of("cartridge.php", "cartridge.nope"), List.of("group.g")))));

        assertThat(e.errors())
                .containsExactly(
                        new FieldError(
                                "dependencies.startupOrders[0][1]",
                                "'cartridge.nope' names no cluster of this application"),
                        new FieldError(
                                "dependencies.startupOrders[1][0]",
                                "'group.g' is not a reference of the form cartridge.<alias>"));
    }

    @Test
    void versionsAndImagesFollowAStrictPattern() {
        assertThat(ApplicationValidator.VERSION.matcher("4.1.5-rc1+build.7").matches())
                .isTrue();
        assertThat(ApplicationValidator.VERSION.matcher("4.1.5; rm -rf /").matches())
                .isFalse();
        assertThat(ApplicationValidator.VERSION.matcher("$(id)").matches()).isFalse();
        assertThat(ApplicationValidator.IMAGE.matcher("stratos/php:4.1.5").matches())
                .isTrue();
        assertThat(ApplicationValidator.IMAGE
                        .matcher("registry.local:5000/team/php:4.1.5")
                        .matches())
                .isTrue();
        assertThat(ApplicationValidator.IMAGE.matcher("Stratos/PHP:latest").matches())
                .isFalse();
        assertThat(ApplicationValidator.IMAGE.matcher("php:4.1.5 --privileged").matches())
                .isFalse();
    }
}
