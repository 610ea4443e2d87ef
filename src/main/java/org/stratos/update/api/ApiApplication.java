package org.stratos.update.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.springframework.context.ApplicationContext;
import org.stratos.update.problem.ConflictMapper;
import org.stratos.update.problem.HttpErrorMapper;
import org.stratos.update.problem.InvalidInputMapper;
import org.stratos.update.problem.JsonInputMapper;
import org.stratos.update.problem.NotFoundMapper;
import org.stratos.update.problem.UnexpectedErrorMapper;

/**
 * The JAX-RS application behind {@code /api}. Resources annotated {@code @Component} are taken from the Spring context
 * (handed over as {@code contextConfig}, read by jersey-spring6), so they get constructor injection.
 */
final class ApiApplication extends ResourceConfig {

    /** The property jersey-spring6 reads the Spring context from. */
    static final String SPRING_CONTEXT = "contextConfig";

    ApiApplication(ApplicationContext context, ObjectMapper objectMapper) {
        property(SPRING_CONTEXT, context);
        // Location: /api/applications/{id} as given, not resolved to an absolute URI a proxy may not serve
        property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        // errors keep their problem body instead of the container's error page
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);

        // Jackson without the feature's own exception mappers: JsonInputMapper answers malformed JSON instead
        register(JacksonFeature.withoutExceptionMappers());
        register(new ObjectMapperResolver(objectMapper));
        register(RolesAllowedDynamicFeature.class);

        register(SseFeature.class);

        register(ApplicationsResource.class);
        register(ApplicationUpdatesResource.class);
        register(UpdatesResource.class);
        register(NextBatchResource.class);
        register(CallerResource.class);
        register(MemberRegistrationResource.class);
        register(MemberCredentialsResource.class);
        register(MemberRetirementResource.class);
        register(OpenApiDocument.class);

        register(InvalidInputMapper.class);
        register(JsonInputMapper.class);
        register(NotFoundMapper.class);
        register(ConflictMapper.class);
        register(HttpErrorMapper.class);
        register(UnexpectedErrorMapper.class);
    }
}
