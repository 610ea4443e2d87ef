package org.stratos.update.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The authentication filters: the project's own on {@code /api} (the webapp login, then HTTP Basic) and
 * {@code /actuator}, Camunda's (every path included) on {@code /engine-rest}, the login throttle in front of both and
 * of the webapps' own login.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Early, but after Spring's observation filter so refused calls still show in the HTTP metrics. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** Before every password check, so a waiting address's logins are not checked at all. */
    @Bean
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(
            LoginThrottle throttle,
            ObjectMapper objectMapper,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        FilterRegistrationBean<LoginThrottleFilter> registration =
                new FilterRegistrationBean<>(new LoginThrottleFilter(throttle, objectMapper, webappPath));
        registration.setName("stratos-login-throttle");
        registration.addUrlPatterns("/api/*", "/actuator/*", "/engine-rest/*", webappPath + "/api/admin/auth/*");
        registration.setOrder(ORDER - 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BasicAuthenticationFilter> apiAuthentication(
            CamundaCredentials credentials, ObjectMapper objectMapper) {
        FilterRegistrationBean<BasicAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new BasicAuthenticationFilter(credentials, objectMapper));
        registration.setName("stratos-basic-authentication");
        registration.addUrlPatterns("/api/*", "/actuator/*");
        registration.setOrder(ORDER);
        return registration;
    }

    /** Before HTTP Basic: the Cockpit and Tasklist pages call {@code /api} with the user's webapp login. */
    @Bean
    FilterRegistrationBean<WebappSessionFilter> apiWebappSession(ProcessEngine engine, ObjectMapper objectMapper) {
        FilterRegistrationBean<WebappSessionFilter> registration = new FilterRegistrationBean<>(
                new WebappSessionFilter(engine.getIdentityService(), engine.getName(), objectMapper));
        registration.setName("stratos-webapp-session");
        registration.addUrlPatterns("/api/*");
        registration.setOrder(ORDER - 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<EngineRestAuthenticationFilter> engineRestAuthentication(ObjectMapper objectMapper) {
        FilterRegistrationBean<EngineRestAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new EngineRestAuthenticationFilter(objectMapper));
        registration.setName("engine-rest-authentication");
        registration.addInitParameter(
                ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(ORDER);
        return registration;
    }
}
