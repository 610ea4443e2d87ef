package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.springframework.stereotype.Component;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.CredentialsView;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;

/**
 * A member's broker credentials: show (without the password), rotate, revoke. They are the credentials of the broker
 * user that speaks for the member: its own, or its fleet's (then rotating or revoking acts on the whole fleet).
 */
@Component
@Path("members/{memberId}/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "members")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "404",
        description = "No such member, or it has no credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MemberCredentialsResource {

    private final AgentCredentials credentials;

    MemberCredentialsResource(AgentCredentials credentials) {
        this.credentials = credentials;
    }

    @GET
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "getMemberCredentials",
            summary = "Show who speaks for the member on the broker: user, kind, issued, rotated, revoked")
    @ApiResponse(
            responseCode = "200",
            description = "The credentials, without the password",
            content = @Content(schema = @Schema(implementation = CredentialsView.class)))
    public CredentialsView get(@PathParam("memberId") @Parameter(description = "the member id") String memberId) {
        return credentials.describe(memberId);
    }

    @POST
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "rotateMemberCredentials",
            summary = "Issue a new password for the member's broker user",
            description = "The old password stops working and the connections that logged in with it are closed "
                    + "(embedded broker). Revoked credentials are restored with the new password. A member that "
                    + "joined before members were registered gets its first credentials. The password is shown only "
                    + "in this answer.")
    @ApiResponse(
            responseCode = "200",
            description = "The new credentials",
            content = @Content(schema = @Schema(implementation = IssuedCredentials.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The member is not run by an agent (kubernetes, simulated)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response rotate(
            @PathParam("memberId") @Parameter(description = "the member id") String memberId,
            @Context SecurityContext security) {
        IssuedCredentials issued =
                credentials.rotate(memberId, security.getUserPrincipal().getName());
        return Response.ok(issued)
                .cacheControl(MemberRegistrationResource.NO_STORE)
                .build();
    }

    @DELETE
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "revokeMemberCredentials",
            summary = "Revoke the member's broker credentials",
            description = "The user can no longer log in; its connections are closed (embedded broker). Events still "
                    + "queued from it are processed. Rotating issues new credentials.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    public Response revoke(
            @PathParam("memberId") @Parameter(description = "the member id") String memberId,
            @Context SecurityContext security) {
        credentials.revoke(memberId, security.getUserPrincipal().getName());
        return Response.noContent().build();
    }
}
