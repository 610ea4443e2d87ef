package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.springframework.stereotype.Component;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;

/**
 * Registering the members of a VM ({@code puppet}) cluster before their agents start: the manager makes up their ids
 * and the broker credentials their agents log in with. A member that was never registered cannot join. A root
 * resource of its own, as {@code applications/{appId}/updates} is (see {@link ApplicationUpdatesResource}).
 */
@Component
@Path("applications/{appId}/clusters/{alias}/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "members", description = "Registering members and their agents' broker credentials")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MemberRegistrationResource {

    /** Responses that carry a password are never stored by a cache. */
    static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    private final AgentCredentials credentials;

    MemberRegistrationResource(AgentCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * @param count  how many members (default 1; at most 100, or 100,000 with {@code shared})
     * @param shared one broker user for all of them: for a process that hosts them all (FleetMain); otherwise each
     *               member gets a user of its own, its member id
     */
    @Schema(name = "MemberRegistration")
    public record Request(Integer count, Boolean shared) {}

    /** The registered members' credentials: each password is shown this once. */
    @Schema(name = "RegisteredMembers")
    public record Registered(String applicationId, String clusterId, List<IssuedCredentials> credentials) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "registerMembers",
            summary = "Register members of a VM cluster and issue their agents' broker credentials",
            description = "Answers the new member ids with the broker user and password each agent logs in with "
                    + "(agent settings member.id, broker.user, broker.password). The password is shown only in this "
                    + "answer; the manager keeps a salted hash of it.",
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = Request.class))))
    @ApiResponse(
            responseCode = "201",
            description = "Registered",
            content = @Content(schema = @Schema(implementation = Registered.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid count; errors[] names the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such application or cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description =
                    "The cluster's members are not run by agents the operator " + "starts (kubernetes, simulated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response register(
            @PathParam("appId") @Parameter(description = "the application id") String appId,
            @PathParam("alias") @Parameter(description = "the cluster's alias") String alias,
            Request request,
            @Context SecurityContext security) {
        Request r = request == null ? new Request(null, null) : request;
        List<IssuedCredentials> issued = credentials.register(
                appId,
                alias,
                r.count(),
                Boolean.TRUE.equals(r.shared()),
                security.getUserPrincipal().getName());
        return Response.status(Response.Status.CREATED)
                .cacheControl(NO_STORE)
                .entity(new Registered(appId, issued.get(0).clusterId(), issued))
                .build();
    }
}
