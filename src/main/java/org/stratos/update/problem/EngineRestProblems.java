package org.stratos.update.problem;

import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Adds the project's mappers to Camunda's {@code /engine-rest} (Spring Boot's one Jersey {@code ResourceConfig}). */
@Configuration(proxyBeanMethods = false)
class EngineRestProblems {

    @Bean
    ResourceConfigCustomizer engineRestInputMapper() {
        return config -> config.register(EngineRestInputMapper.class);
    }
}
