package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.springframework.stereotype.Component;
import org.stratos.update.security.StratosGroups;

/** Who is calling and what they may do: the Cockpit plugin shows the operators' buttons to operators only. */
@Component
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "caller", description = "The authenticated user")
public class CallerResource {

    /** @param operator may start, pause, resume, abort and approve; otherwise (a viewer) only read */
    public record Me(String userId, boolean operator) {}

    @GET
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(operationId = "getCaller", summary = "The calling user and whether it may steer updates")
    @ApiResponse(
            responseCode = "200",
            description = "The caller",
            content = @Content(schema = @Schema(implementation = Me.class)))
    public Me get(@Context SecurityContext security) {
        return new Me(security.getUserPrincipal().getName(), security.isUserInRole(StratosGroups.OPERATORS));
    }
}
