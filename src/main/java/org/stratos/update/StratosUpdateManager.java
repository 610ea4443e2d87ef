package org.stratos.update;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The manager: topology, messaging, the embedded engine with its webapps, and the project's own API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StratosUpdateManager {

    public static void main(String[] args) {
        SpringApplication.run(StratosUpdateManager.class, args);
    }
}
