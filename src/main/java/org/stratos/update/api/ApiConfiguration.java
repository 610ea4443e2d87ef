package org.stratos.update.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.glassfish.jersey.servlet.ServletContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Mounts the API on {@code /api/*} as a Jersey servlet of its own, behind a limit on request bodies (and puts the
 * same kind of limit in front of {@code /engine-rest}). Its
 * {@link ApiApplication} is deliberately not a bean: Spring Boot's Jersey support takes exactly one
 * {@code ResourceConfig} bean, and Camunda's {@code /engine-rest} already is that one.
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

    /** After the authentication filters (at {@code HIGHEST_PRECEDENCE + 100}): a stranger hears 401, not 413. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> apiBodyLimit(
            @Value("${" + RequestBodyLimit.PROPERTY + "}") DataSize limit, ObjectMapper objectMapper) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(limit, RequestBodyLimit.PROPERTY, objectMapper));
        registration.setName("stratos-api-body-limit");
        registration.addUrlPatterns(PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 200);
        return registration;
    }

    /**
     * The same refusal in front of Camunda's {@code /engine-rest} (its own limit: a Modeler deployment is a multipart
     * body of BPMN files), after its authentication filter.
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> engineRestBodyLimit(
            @Value("${" + RequestBodyLimit.ENGINE_REST_PROPERTY + "}") DataSize limit, ObjectMapper objectMapper) {
        FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(
                new RequestBodyLimit(limit, RequestBodyLimit.ENGINE_REST_PROPERTY, objectMapper));
        registration.setName("stratos-engine-rest-body-limit");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 200);
        return registration;
    }

    /** After a 413, Tomcat closes the connection instead of reading (swallowing) the rest of the refused body. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> closeAfterTooLarge() {
        return factory -> factory.addContextCustomizers(context -> context.setSwallowAbortedUploads(false));
    }
}
