package org.stratos.update.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.InvalidInputException.FieldError;

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
                List.of(List.of("cartridge.mysql", "cartridge.php", "cartridge.web"),
                        Map.of("aliases", List.of("cartridge.mysql", "cartridge.web")))));

        assertThat(stages).containsEntry("mysql", 0).containsEntry("php", 1).containsEntry("web", 2)
                .containsEntry("cache", 0);
    }

    @Test
    void aCycleInTheStartupOrdersIsRefused() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> ApplicationValidator.validate(
                app(List.of(vm("a"), vm("b")), List.of(List.of("cartridge.a", "cartridge.b"),
                        List.of("cartridge.b", "cartridge.a")))));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("dependencies.startupOrders");
        assertThat(e.errors().get(0).reason()).contains("cycle");
    }

    @Test
    void everyBrokenRuleIsReportedWithItsField() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> ApplicationValidator.validate(
                new NewApplication("bad id!", null, List.of(
                        new NewApplication.NewCluster("php", "php", "puppet", null, null, null),
                        new NewApplication.NewCluster("php", "x", "docker", "1", "img:1", -1),
                        new NewApplication.NewCluster("web", "kubernetes", "kubernetes", "1.0", null, null)),
                        new NewApplication.Dependencies(List.of(List.of("cartridge.php", "cartridge.nope", "group.g"))))));

        assertThat(e.errors()).extracting(FieldError::field).contains(
                "applicationId", "clusters[0]", "clusters[0].version", "clusters[1].alias", "clusters[1].runtime",
                "clusters[1]", "clusters[1].members", "clusters[2].imageId");
    }

    @Test
    void referencesToUnknownClustersAreNamedByTheirPosition() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> ApplicationValidator.validate(
                app(List.of(vm("php")), List.of(List.of("cartridge.php", "cartridge.nope"), List.of("group.g")))));

        assertThat(e.errors()).containsExactly(
                new FieldError("dependencies.startupOrders[0][1]", "'cartridge.nope' names no cluster of this application"),
                new FieldError("dependencies.startupOrders[1][0]", "'group.g' is not a reference of the form cartridge.<alias>"));
    }

    @Test
    void versionsAndImagesFollowAStrictPattern() {
        assertThat(ApplicationValidator.VERSION.matcher("4.1.5-rc1+build.7").matches()).isTrue();
        assertThat(ApplicationValidator.VERSION.matcher("4.1.5; rm -rf /").matches()).isFalse();
        assertThat(ApplicationValidator.VERSION.matcher("$(id)").matches()).isFalse();
        assertThat(ApplicationValidator.IMAGE.matcher("stratos/php:4.1.5").matches()).isTrue();
        assertThat(ApplicationValidator.IMAGE.matcher("registry.local:5000/team/php:4.1.5").matches()).isTrue();
        assertThat(ApplicationValidator.IMAGE.matcher("Stratos/PHP:latest").matches()).isFalse();
        assertThat(ApplicationValidator.IMAGE.matcher("php:4.1.5 --privileged").matches()).isFalse();
    }
}
