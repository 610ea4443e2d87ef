package org.stratos.update.security;

import java.util.Collection;
import java.util.Set;

/**
 * Whether the manager may start with the configured admin password. The documented demo password is tolerated,
 * loudly and on the loopback address only, on the default run (no profile, or only {@code demo} / {@code test});
 * with any other profile active it is refused. A missing password counts as the demo one, since the Camunda starter
 * would then use the user id.
 */
final class AdminPasswordPolicy {

    static final String PASSWORD_PROPERTY = "camunda.bpm.admin-user.password";
    static final String USER_PROPERTY = "camunda.bpm.admin-user.id";
    static final String DEMO_PASSWORD_PROPERTY = "stratos.security.demo-password";
    static final String ADDRESS_PROPERTY = "server.address";
    static final String LOOPBACK = "127.0.0.1";
    static final Set<String> DEFAULT_RUN_PROFILES = Set.of("demo", "test");

    enum Verdict {
        ACCEPT,
        WARN,
        REFUSE
    }

    private AdminPasswordPolicy() {}

    static Verdict judge(Collection<String> activeProfiles, String adminPassword, String demoPassword) {
        String demo = demoPassword == null || demoPassword.isBlank()
                ? SecurityProperties.DEFAULT_DEMO_PASSWORD
                : demoPassword;
        boolean weak = adminPassword == null || adminPassword.isBlank() || adminPassword.equals(demo);
        if (!weak) {
            return Verdict.ACCEPT;
        }
        return DEFAULT_RUN_PROFILES.containsAll(activeProfiles) ? Verdict.WARN : Verdict.REFUSE;
    }

    static String refusal(String adminUser, Collection<String> activeProfiles) {
        return "Refusing to start: the Camunda admin user '" + adminUser + "' has the documented demo password (or "
                + "none) while profile(s) " + activeProfiles + " are active. Set the environment variable "
                + "STRATOS_ADMIN_PASSWORD (property " + PASSWORD_PROPERTY + ") to a password of your own.";
    }

    static String warning(String adminUser) {
        String line = "*".repeat(100);
        return String.join(
                System.lineSeparator(),
                "",
                line,
                "*  THE CAMUNDA ADMIN USER '" + adminUser + "' HAS THE DOCUMENTED DEMO PASSWORD.",
                "*  So HTTP listens on " + LOOPBACK + " only (server.address is ignored): only this machine can log",
                "*  into Cockpit and Admin, call /api and /engine-rest, and start, abort or roll back updates. Set",
                "*  STRATOS_ADMIN_PASSWORD to a password of your own to listen on the configured address. Outside",
                "*  the default run (any profile but demo/test) the manager refuses to start with this password.",
                line);
    }
}
