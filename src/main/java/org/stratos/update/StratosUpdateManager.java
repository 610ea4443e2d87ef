package org.stratos.update;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The manager: topology, messaging, the embedded engine with its webapps, and the project's own API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StratosUpdateManager {

    /**
     * A JVM system property: with {@code -Dstratos.startup.steps=N} the manager records its first N start-up steps
     * (Spring's {@link BufferingApplicationStartup}), shown by {@code /actuator/startup} once that endpoint is exposed
     * (docs/benchmarks.md, "Where the start goes"). Off by default: recording costs a little at every step.
     */
    static final String STARTUP_STEPS = "stratos.startup.steps";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(StratosUpdateManager.class);
        String steps = System.getProperty(STARTUP_STEPS);
        if (steps != null) {
            application.setApplicationStartup(new BufferingApplicationStartup(Integer.parseInt(steps)));
        }
        application.run(args);
    }
}
