package org.stratos.update.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.glassfish.jersey.servlet.ServletContainer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mounts the API on {@code /api/*} as a Jersey servlet of its own. Its {@link ApiApplication} is deliberately not a
 * bean: Spring Boot's Jersey support takes exactly one {@code ResourceConfig} bean, and Camunda's {@code /engine-rest}
 * already is that one.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    static final String PATH = "/api";

    @Bean
    ServletRegistrationBean<ServletContainer> apiServlet(ApplicationContext context, ObjectMapper objectMapper) {
        ServletRegistrationBean<ServletContainer> registration = new ServletRegistrationBean<>(
                new ServletContainer(new ApiApplication(context, objectMapper)), PATH + "/*");
        registration.setName("stratos-api");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
