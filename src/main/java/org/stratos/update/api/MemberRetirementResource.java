package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.springframework.stereotype.Component;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.topology.ApplicationView;
import org.stratos.update.topology.TopologyService;

/**
 * Retiring a member that is gone for good (its VM deleted): it ends Terminated, with the operator in its transition
 * log, so updates stop targeting it and it no longer counts in its cluster. A root resource of its own (the path has
 * more literal characters than any other under {@code members}), so other member endpoints can live beside it.
 */
@Component
@Path("members/{memberId}/retire")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "members", description = "Members of the applications' clusters")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MemberRetirementResource {

    private final TopologyService topology;

    MemberRetirementResource(TopologyService topology) {
        this.topology = topology;
    }

    @POST
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "retireMember",
            summary = "Retire a member that is gone for good: it ends Terminated",
            description = "An Active member leaves service first (Suspended, then Terminated). Refused for a member "
                    + "that is Updating or Terminated, or while an update holds its cluster.")
    @ApiResponse(
            responseCode = "200",
            description = "The member, now Terminated",
            content = @Content(schema = @Schema(implementation = ApplicationView.MemberView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such member",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The member is Updating or Terminated, or an update holds its cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ApplicationView.MemberView retire(
            @PathParam("memberId") @Parameter(description = "the member id") String memberId,
            @Context SecurityContext security) {
        return ApplicationView.MemberView.of(
                topology.retire(memberId, security.getUserPrincipal().getName()));
    }
}
