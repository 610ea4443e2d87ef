package org.stratos.update.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Once the manager is up (last in the start-up log, where it is seen), warns when the demo password is in use. */
@Component
class DemoPasswordWarning {

    private static final Logger log = LoggerFactory.getLogger(DemoPasswordWarning.class);

    private final Environment environment;
    private final SecurityProperties properties;

    DemoPasswordWarning(Environment environment, SecurityProperties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfDemoPassword() {
        AdminPasswordPolicy.Verdict verdict = AdminPasswordPolicy.judge(
                List.of(environment.getActiveProfiles()),
                environment.getProperty(AdminPasswordPolicy.PASSWORD_PROPERTY),
                properties.demoPassword());
        if (verdict == AdminPasswordPolicy.Verdict.WARN) {
            log.warn(AdminPasswordPolicy.warning(environment.getProperty(AdminPasswordPolicy.USER_PROPERTY, "admin")));
        }
    }
}
