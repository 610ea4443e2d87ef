package org.stratos.update.problem;

import jakarta.servlet.ServletRegistration;
import org.glassfish.jersey.server.ServerProperties;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds the project's mappers to Camunda's two engine REST APIs: {@code /engine-rest} (Spring Boot's one Jersey
 * {@code ResourceConfig}) and the webapps' own {@code /camunda/api/engine}, which Tasklist and Cockpit call.
 */
@Configuration(proxyBeanMethods = false)
class EngineRestProblems {

    /**
     * The Jersey servlet Camunda's {@code CamundaBpmWebappInitializer} registers for {@code /camunda/api/engine/*},
     * running the webapp's {@code EngineRestApplication}.
     */
    static final String WEBAPP_ENGINE_API = "Engine Api";

    @Bean
    ResourceConfigCustomizer engineRestInputMapper() {
        return config -> config.register(EngineRestInputMapper.class);
    }

    /**
     * The webapp's engine API is a separate Jersey application with a fixed class list and no extension point for
     * providers; Jersey adds the classes named in its servlet's init parameter {@code
     * jersey.config.server.provider.classnames} to those of the application. Initializers added to the factory run
     * after the context's own, so Camunda's servlet is registered by then; the servlet starts at its first request.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> webappEngineApiInputMapper() {
        return factory -> factory.addInitializers(context -> {
            ServletRegistration engineApi = context.getServletRegistration(WEBAPP_ENGINE_API);
            if (engineApi != null) { // the webapps are on (TasklistApprovalTest fails if Camunda renames it)
                engineApi.setInitParameter(ServerProperties.PROVIDER_CLASSNAMES, EngineRestInputMapper.class.getName());
            }
        });
    }
}
