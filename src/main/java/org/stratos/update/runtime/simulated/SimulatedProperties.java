package org.stratos.update.runtime.simulated;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 */
@ConfigurationProperties("stratos.simulated")
public record SimulatedProperties(
        @DefaultValue("PT2S") Duration updateDuration,
        @DefaultValue("0.0") double failureRate,
        @DefaultValue("PT1S") Duration startLatency,
        String brokerUrl,
        @DefaultValue("1000") int agentsPerConnection,
        @DefaultValue(".*-broken") java.util.regex.Pattern failingVersions,
        String brokerPassword) {
}
