package org.stratos.update.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Stops start-up before anything is built when {@link AdminPasswordPolicy} refuses the admin password, and while it
 * tolerates the demo password binds HTTP to the loopback address whatever {@code server.address} says, so only this
 * machine can use that password. Registered in {@code META-INF/spring.factories}; runs after the configuration files
 * and profiles are read.
 */
public class AdminPasswordGuard implements EnvironmentPostProcessor {

    static final String LOOPBACK_SOURCE = "stratos-demo-password-loopback";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> profiles = List.of(environment.getActiveProfiles());
        AdminPasswordPolicy.Verdict verdict = AdminPasswordPolicy.judge(
                profiles,
                environment.getProperty(AdminPasswordPolicy.PASSWORD_PROPERTY),
                environment.getProperty(AdminPasswordPolicy.DEMO_PASSWORD_PROPERTY));
        if (verdict == AdminPasswordPolicy.Verdict.REFUSE) {
            throw new DemoPasswordRefusedException(AdminPasswordPolicy.refusal(
                    environment.getProperty(AdminPasswordPolicy.USER_PROPERTY, "admin"), profiles));
        }
        if (verdict == AdminPasswordPolicy.Verdict.WARN) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            LOOPBACK_SOURCE,
                            Map.of(AdminPasswordPolicy.ADDRESS_PROPERTY, AdminPasswordPolicy.LOOPBACK)));
        }
    }
}
