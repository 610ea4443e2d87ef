package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.springframework.stereotype.Component;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.update.UpdateReadModel;
import org.stratos.update.update.UpdateRecord;
import org.stratos.update.update.UpdateRequest;
import org.stratos.update.update.UpdateService;
import org.stratos.update.update.UpdateView;

/**
 * Starting an update of an application. A root resource of its own rather than a method of
 * {@link ApplicationsResource} or {@link UpdatesResource}: JAX-RS picks one root resource by its path and does not
 * look in another when no method of the first matches, so {@code applications/{appId}/updates} is its own root.
 */
@Component
@Path("applications/{appId}/updates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "updates")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ApplicationUpdatesResource {

    private final UpdateService updates;
    private final UpdateReadModel views;

    ApplicationUpdatesResource(UpdateService updates, UpdateReadModel views) {
        this.updates = updates;
        this.views = views;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "startUpdate",
            summary = "Start an update of some of the application's clusters",
            description = "The update is checked, recorded, its clusters held and its softwareUpdate process "
                    + "started in one transaction; it then runs on its own. Counts and percentages may be numbers "
                    + "or strings (\"25%\").",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = UpdateRequest.class))))
    @ApiResponse(
            responseCode = "202",
            description = "Started",
            headers = @Header(name = "Location", description = "/api/updates/{updateId}"),
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid request; errors[] names each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such application",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "Another update holds one of the clusters",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(
            @PathParam("appId") @Parameter(description = "the application id") String appId,
            UpdateRequest request,
            @Context SecurityContext security,
            @Context UriInfo uri) {
        UpdateRecord started =
                updates.start(appId, request, security.getUserPrincipal().getName());
        URI location = URI.create(uri.getBaseUri().getRawPath()).resolve("updates/" + started.id());
        return Response.accepted(views.update(started.id())).location(location).build();
    }
}
