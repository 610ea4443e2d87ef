package org.stratos.update.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import org.stratos.update.common.ConflictException;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/**
 * Registers the demo application ({@code stratos.demo.application}, by default {@code config/demo/shop.json}) when it
 * is not registered yet. Its simulated members then start and join through the broker.
 */
@Component
@ConditionalOnProperty(name = "stratos.demo.enabled", havingValue = "true")
class DemoApplicationLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoApplicationLoader.class);

    private final TopologyService topology;
    private final ObjectMapper json;
    private final Resource application;

    DemoApplicationLoader(
            TopologyService topology, ObjectMapper json, @Value("${stratos.demo.application}") Resource application) {
        this.topology = topology;
        this.json = json;
        this.application = application;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void registerDemoApplication() throws IOException {
        NewApplication app;
        try (InputStream in = application.getInputStream()) {
            app = json.readValue(in, NewApplication.class);
        }
        if (topology.applicationExists(app.applicationId())) {
            log.info("Demo application '{}' is registered already", app.applicationId());
            return;
        }
        try {
            topology.register(app);
            log.info("Registered the demo application '{}' from {}", app.applicationId(), application);
        } catch (ConflictException another) {
            log.info("Demo application '{}' was registered by another node", app.applicationId());
        }
    }
}
