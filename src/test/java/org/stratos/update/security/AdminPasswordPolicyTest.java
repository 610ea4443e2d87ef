package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stratos.update.security.AdminPasswordPolicy.Verdict.ACCEPT;
import static org.stratos.update.security.AdminPasswordPolicy.Verdict.REFUSE;
import static org.stratos.update.security.AdminPasswordPolicy.Verdict.WARN;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AdminPasswordPolicyTest {

    @Test
    void theDemoPasswordIsToleratedLoudlyOnTheDefaultRun() {
        assertThat(AdminPasswordPolicy.judge(List.of(), "demo", "demo")).isEqualTo(WARN);
        assertThat(AdminPasswordPolicy.judge(List.of("demo"), "demo", "demo")).isEqualTo(WARN);
        assertThat(AdminPasswordPolicy.judge(List.of("test"), "demo", "demo")).isEqualTo(WARN);
    }

    @Test
    void theDemoPasswordIsRefusedWithAnyOtherProfile() {
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), "demo", "demo"))
                .isEqualTo(REFUSE);
        assertThat(AdminPasswordPolicy.judge(List.of("demo", "production"), "demo", "demo"))
                .isEqualTo(REFUSE);
    }

    @Test
    void aMissingPasswordCountsAsTheDemoOne() {
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), null, "demo")).isEqualTo(REFUSE);
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), " ", "demo")).isEqualTo(REFUSE);
        assertThat(AdminPasswordPolicy.judge(List.of(), "", "demo")).isEqualTo(WARN);
    }

    @Test
    void anOwnPasswordIsAcceptedEverywhere() {
        assertThat(AdminPasswordPolicy.judge(List.of(), "s3cret-enough", "demo"))
                .isEqualTo(ACCEPT);
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), "s3cret-enough", "demo"))
                .isEqualTo(ACCEPT);
    }

    @Test
    void theDemoPasswordIsConfigurable() {
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), "changeme", "changeme"))
                .isEqualTo(REFUSE);
        assertThat(AdminPasswordPolicy.judge(List.of("postgres"), "demo", null)).isEqualTo(REFUSE);
    }

    @Test
    void theGuardStopsStartUpNamingTheVariable() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(AdminPasswordPolicy.PASSWORD_PROPERTY, "demo")
                .withProperty(AdminPasswordPolicy.DEMO_PASSWORD_PROPERTY, "demo")
                .withProperty(AdminPasswordPolicy.USER_PROPERTY, "admin");
        environment.setActiveProfiles("postgres");

        assertThatThrownBy(() -> new AdminPasswordGuard().postProcessEnvironment(environment, null))
                .isInstanceOf(DemoPasswordRefusedException.class)
                .hasMessageContaining("STRATOS_ADMIN_PASSWORD")
                .hasMessageContaining("[postgres]")
                .hasMessageContaining("'admin'");
    }

    @Test
    void theGuardLetsTheDefaultRunStart() {
        MockEnvironment environment = new MockEnvironment().withProperty(AdminPasswordPolicy.PASSWORD_PROPERTY, "demo");

        assertThatCode(() -> new AdminPasswordGuard().postProcessEnvironment(environment, null))
                .doesNotThrowAnyException();
    }

    @Test
    void theDemoPasswordKeepsHttpOnTheLoopbackAddressWhateverIsConfigured() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(AdminPasswordPolicy.PASSWORD_PROPERTY, "demo")
                .withProperty("server.address", "0.0.0.0");

        new AdminPasswordGuard().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
    }

    @Test
    void anOwnPasswordKeepsTheConfiguredAddress() {
        MockEnvironment configured = new MockEnvironment()
                .withProperty(AdminPasswordPolicy.PASSWORD_PROPERTY, "s3cret-enough")
                .withProperty("server.address", "0.0.0.0");
        MockEnvironment unset =
                new MockEnvironment().withProperty(AdminPasswordPolicy.PASSWORD_PROPERTY, "s3cret-enough");

        new AdminPasswordGuard().postProcessEnvironment(configured, null);
        new AdminPasswordGuard().postProcessEnvironment(unset, null);

        assertThat(configured.getProperty("server.address")).isEqualTo("0.0.0.0");
        assertThat(unset.getProperty("server.address")).isNull();
    }

    @Test
    void theWarningIsLoudAndSaysWhatToDo() {
        String warning = AdminPasswordPolicy.warning("admin");

        assertThat(warning.lines()).hasSizeGreaterThan(4);
        assertThat(warning)
                .contains("STRATOS_ADMIN_PASSWORD")
                .contains("DEMO PASSWORD")
                .contains("listens on 127.0.0.1 only");
    }
}
