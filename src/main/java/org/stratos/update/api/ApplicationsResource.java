package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.springframework.stereotype.Component;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;

/** Applications with their clusters and members: list, show, register. */
@Component
@Path("applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "applications", description = "Applications, their clusters and members, with states and versions")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ApplicationsResource {

    static final String TERMINATED =
            "also list Terminated members (replaced containers, removed VMs); memberCounts " + "counts them either way";

    private final TopologyService topology;

    ApplicationsResource(TopologyService topology) {
        this.topology = topology;
    }

    @GET
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "listApplications",
            summary = "List the registered applications with their clusters and members")
    @ApiResponse(
            responseCode = "200",
            description = "The applications",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApplicationView.class))))
    public List<ApplicationView> list(
            @QueryParam("terminated")
                    @Parameter(description = TERMINATED, schema = @Schema(type = "boolean", defaultValue = "false"))
                    String terminated) {
        boolean all = QueryFlags.flag("terminated", terminated);
        return topology.applications().stream()
                .map(a -> all ? a : a.withoutTerminatedMembers())
                .toList();
    }

    @GET
    @Path("{appId}")
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "getApplication",
            summary = "Show one application with its clusters, member states and versions")
    @ApiResponse(
            responseCode = "200",
            description = "The application",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such application",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ApplicationView get(
            @PathParam("appId") @Parameter(description = "the application id") String appId,
            @QueryParam("terminated")
                    @Parameter(description = TERMINATED, schema = @Schema(type = "boolean", defaultValue = "false"))
                    String terminated) {
        ApplicationView application = topology.application(appId);
        return QueryFlags.flag("terminated", terminated) ? application : application.withoutTerminatedMembers();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "registerApplication",
            summary = "Register an application with its clusters and startup order",
            requestBody =
                    @RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = NewApplication.class))))
    @ApiResponse(
            responseCode = "201",
            description = "Registered",
            headers = @Header(name = "Location", description = "/api/applications/{appId}"),
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid input; errors[] names each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The application id is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response register(NewApplication application, @Context UriInfo uri) {
        ApplicationView registered = topology.register(application);
        URI location = URI.create(uri.getBaseUri().getRawPath()).resolve("applications/" + registered.applicationId());
        return Response.created(location).entity(registered).build();
    }
}
