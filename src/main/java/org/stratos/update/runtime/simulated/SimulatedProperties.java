package org.stratos.update.runtime.simulated;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code stratos.simulated.*}: how simulated members behave.
 *
 * @param updateDuration      how long a simulated update command runs
 * @param failureRate         the share of update commands that fail (0 to 1)
 * @param startLatency        how long a new simulated member takes to start and become ready
 * @param brokerUrl           broker the simulated agents connect to; empty: the manager's own broker
 * @param agentsPerConnection how many simulated agents share one JMS connection
 * @param failingVersions     versions (and images) that fail on every simulated member, to show failures on purpose
 * @param brokerPassword      the password the fleet logs in with as {@code stratos-simulated}; empty: one made up at
 *                            every start (enough for the embedded broker; an external broker must know the user)
 * <p>
 * The defaults are set in one place, the jar's {@code application.yaml}, with their {@code STRATOS_*} variables.
 */
@ConfigurationProperties("stratos.simulated")
public record SimulatedProperties(
        Duration updateDuration,
        double failureRate,
        Duration startLatency,
        String brokerUrl,
        int agentsPerConnection,
        java.util.regex.Pattern failingVersions,
        String brokerPassword) {}
