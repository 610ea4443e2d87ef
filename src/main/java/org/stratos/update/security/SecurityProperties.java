package org.stratos.update.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code stratos.security.*}.
 *
 * @param demoPassword    the documented demo admin password; outside the default run the manager refuses to start
 *                        with it
 * @param credentialCache how long a successful HTTP Basic check on {@code /api} and {@code /actuator} is remembered
 *                        ({@code PT0S}: not at all); group changes and new passwords take effect after at most this
 * <p>
 * The defaults are set in one place, the jar's {@code application.yaml}, with their {@code STRATOS_*} variables.
 */
@ConfigurationProperties("stratos.security")
public record SecurityProperties(String demoPassword, Duration credentialCache) {

    static final String DEFAULT_DEMO_PASSWORD = "demo";
}
