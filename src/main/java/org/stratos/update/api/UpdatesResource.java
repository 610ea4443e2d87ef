package org.stratos.update.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.springframework.stereotype.Component;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.problem.Problem;
import org.stratos.update.security.StratosGroups;
import org.stratos.update.update.UpdateReadModel;
import org.stratos.update.update.UpdateService;
import org.stratos.update.update.UpdateView;

/**
 * Updates: list, show, steer (pause, resume, abort, approve) and watch as server-sent events. They are started on
 * their application, {@link ApplicationUpdatesResource}.
 */
@Component
@Path("updates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "updates", description = "Software updates: progress per cluster and member, operator controls")
@ApiResponse(
        responseCode = "401",
        description = "No or wrong credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
        responseCode = "403",
        description = "The user lacks the group this call needs",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class UpdatesResource {

    private final UpdateService updates;
    private final UpdateReadModel views;
    private final UpdateEventStreams streams;

    UpdatesResource(UpdateService updates, UpdateReadModel views, UpdateEventStreams streams) {
        this.updates = updates;
        this.views = views;
        this.streams = streams;
    }

    @GET
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "listUpdates",
            summary = "List the latest updates, newest first",
            description = "Members are listed without their output tail; ask for one update to see it.")
    @ApiResponse(
            responseCode = "200",
            description = "The updates",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = UpdateView.class))))
    @ApiResponse(
            responseCode = "400",
            description = "limit is not a number from 1 to 500",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such application",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<UpdateView> list(
            @QueryParam("applicationId") @Parameter(description = "only the updates of this application")
                    String applicationId,
            @QueryParam("limit")
                    @Parameter(
                            description = "at most this many (1-500)",
                            schema = @Schema(type = "integer", defaultValue = "50"))
                    String limit) {
        return views.updates(applicationId, limit(limit));
    }

    @GET
    @Path("{updateId}")
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "getUpdate",
            summary = "Show one update: state, current cluster and batch, per-member progress, counts and percent")
    @ApiResponse(
            responseCode = "200",
            description = "The update",
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UpdateView get(@PathParam("updateId") @Parameter(description = "the update id") String updateId) {
        return views.update(updateId);
    }

    @GET
    @Path("{updateId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({StratosGroups.VIEWERS, StratosGroups.OPERATORS})
    @Operation(
            operationId = "watchUpdate",
            summary = "Watch an update as server-sent events",
            description = "Event `progress` (data: the update as GET shows it, id: a counter) first at once, then "
                    + "whenever the update's progress changes (checked every half second); when the update has "
                    + "ended, event `ended` with the final update, and the stream closes. A comment line is sent "
                    + "every 15 seconds without change.")
    @ApiResponse(
            responseCode = "200",
            description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public void events(
            @PathParam("updateId") @Parameter(description = "the update id") String updateId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        streams.open(views.update(updateId), sink, sse);
    }

    @POST
    @Path("{updateId}/pause")
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "pauseUpdate",
            summary = "Pause: the running batch finishes, no new one starts",
            description = "The update is PAUSING until its running batch is over, then PAUSED.")
    @ApiResponse(
            responseCode = "202",
            description = "Pause requested; the update as it is now",
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The update is not RUNNING or WAITING_FOR_APPROVAL",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response pause(@PathParam("updateId") @Parameter(description = "the update id") String updateId) {
        updates.pause(updateId);
        return accepted(updateId);
    }

    @POST
    @Path("{updateId}/resume")
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(operationId = "resumeUpdate", summary = "Resume a paused (or pausing) update")
    @ApiResponse(
            responseCode = "202",
            description = "Resumed; the update as it is now",
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The update is not PAUSED or PAUSING",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response resume(@PathParam("updateId") @Parameter(description = "the update id") String updateId) {
        updates.resume(updateId);
        return accepted(updateId);
    }

    @POST
    @Path("{updateId}/abort")
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "abortUpdate",
            summary = "Abort: no new batch or cluster starts",
            description = "The running batch finishes. With rollback=true every member the update changed goes "
                    + "back to its previous version (the update ends ROLLED_BACK); without, the members stay as "
                    + "they are (ABORTED).")
    @ApiResponse(
            responseCode = "202",
            description = "Abort requested; the update as it is now (ABORTING)",
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "400",
            description = "rollback is neither true nor false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The update has ended or is already aborting",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response abort(
            @PathParam("updateId") @Parameter(description = "the update id") String updateId,
            @QueryParam("rollback")
                    @Parameter(
                            description = "roll back what the update changed",
                            schema = @Schema(type = "boolean", defaultValue = "false"))
                    String rollback) {
        updates.abort(updateId, QueryFlags.flag("rollback", rollback));
        return accepted(updateId);
    }

    @POST
    @Path("{updateId}/approve")
    @RolesAllowed(StratosGroups.OPERATORS)
    @Operation(
            operationId = "approveUpdate",
            summary = "Approve the next batch of an update waiting at its gate",
            description = "Completes the approval task, as Tasklist does.")
    @ApiResponse(
            responseCode = "202",
            description = "Approved; the update as it is now",
            content = @Content(schema = @Schema(implementation = UpdateView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such update",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The update is not WAITING_FOR_APPROVAL",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response approve(
            @PathParam("updateId") @Parameter(description = "the update id") String updateId,
            @Context SecurityContext security) {
        updates.approve(updateId, security.getUserPrincipal().getName());
        return accepted(updateId);
    }

    private Response accepted(String updateId) {
        return Response.accepted(views.update(updateId)).build();
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return UpdateReadModel.DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit", "'" + text + "' is not a number");
        }
    }
}
