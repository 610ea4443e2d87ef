package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.springframework.stereotype.Component;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.update.RolloutService;
import org.stratos.update.update.RolloutService.NextBatch;

/** What an operator approves at the gate: the members the next batch of an update would take now. */
@Component
@Path("updates/{updateId}/next-batch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "updates")
public class NextBatchResource {

    private final RolloutService rollout;

    NextBatchResource(RolloutService rollout) {
        this.rollout = rollout;
    }

    @GET
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "getNextBatch",
            summary = "The members the next batch of the running cluster would take",
            description = "Picked as the update picks them when the batch starts (Active members not updated yet, at "
                    + "most batchSize, never below minHealthyPercent): members is empty when none can go now, when no "
                    + "cluster is running, and for an all-at-once update. The members may change until the batch "
                    + "starts (a member leaving service, a pause).")
    @ApiResponse(
            responseCode = "200",
            description = "The next batch",
            content = @Content(schema = @Schema(implementation = NextBatch.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NextBatch get(@PathParam("updateId") @Parameter(description = "the update id") String updateId) {
        return rollout.nextBatch(updateId);
    }
}
