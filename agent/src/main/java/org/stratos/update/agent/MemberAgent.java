package org.stratos.update.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * The agent of one member: announces the member, then applies the update commands addressed to it, one at a time,
 * and reports each outcome. A repeated command is answered, never run twice. Runs standalone ({@link AgentMain}) or
 * by the thousand in the manager's simulated fleet, which is why it owns no thread and no connection.
 */
public final class MemberAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemberAgent.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final AgentIdentity identity;
    private final AgentSettings settings;
    private final HealthCheck health;
    private final AgentChannel channel;
    private final UpdateRun updates;
    private final UpdateLedger ledger;
    private final SerialExecutor serial;
    private final CompletableFuture<Void> activation = new CompletableFuture<>();
    private volatile boolean closed;

    public MemberAgent(
            AgentIdentity identity,
            AgentSettings settings,
            UpdateCommand command,
            HealthCheck health,
            AgentChannel channel) {
        this(identity, settings, command, health, channel, SerialExecutor.sharedPool());
    }

    /** @param pool where the agent's work runs (one task at a time per agent); shared by a fleet */
    public MemberAgent(
            AgentIdentity identity,
            AgentSettings settings,
            UpdateCommand command,
            HealthCheck health,
            AgentChannel channel,
            Executor pool) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.health = health == null ? HealthCheck.NONE : health;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.updates = new UpdateRun(identity, settings, Objects.requireNonNull(command, "command"), this.health);
        this.ledger = UpdateLedger.open(settings.stateDirectory(), settings.initialVersion());
        this.serial = new SerialExecutor(Objects.requireNonNull(pool, "pool"));
    }

    /**
     * Subscribes to this member's commands, publishes {@code InstanceStartedEvent}, and {@code InstanceActivatedEvent}
     * once the health check passes (at once without one; otherwise in the background, see {@link #activation()}).
     */
    public void start() throws AgentException {
        channel.onCommand(this::receive);
        channel.publish(new InstanceStartedEvent(
                identity.applicationId(),
                identity.serviceName(),
                identity.clusterId(),
                identity.clusterInstanceId(),
                identity.networkPartitionId(),
                identity.partitionId(),
                identity.memberId(),
                version(),
                identity.address()));
        log.info("Member {} started on version {}", identity.memberId(), version());
        if (health == HealthCheck.NONE) {
            activate();
        } else {
            serial.execute(this::activateWhenHealthy);
        }
    }

    /** The software version the member runs now. */
    public String version() {
        return ledger.version();
    }

    public AgentIdentity identity() {
        return identity;
    }

    /** Completes once {@code InstanceActivatedEvent} is published; fails if the member never became healthy. */
    public CompletionStage<Void> activation() {
        return activation.minimalCompletionStage();
    }

    /** Stops taking commands and stops a running update (the manager will see no answer for it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serial.shutdown(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        activation.completeExceptionally(new AgentException("agent stopped"));
    }

    private void activateWhenHealthy() {
        try {
            Optional<String> unhealthy = new HealthWatch(health, settings.healthInterval())
                    .verify(settings.healthTimeout(), settings.minHealthyTime());
            if (unhealthy.isPresent()) {
                log.warn("Member {} not activated: {}", identity.memberId(), unhealthy.get());
                activation.completeExceptionally(new AgentException(unhealthy.get()));
                return;
            }
            activate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AgentException e) {
            log.error("Member {}: could not publish InstanceActivatedEvent: {}", identity.memberId(), e.getMessage());
            activation.completeExceptionally(e);
        }
    }

    private void activate() throws AgentException {
        channel.publish(new InstanceActivatedEvent(
                identity.applicationId(),
                identity.serviceName(),
                identity.clusterId(),
                identity.clusterInstanceId(),
                identity.networkPartitionId(),
                identity.partitionId(),
                identity.memberId(),
                version(),
                identity.address()));
        activation.complete(null);
    }

    private void receive(SoftwareUpdateEvent command) {
        String problem = problemWith(command);
        if (problem != null) {
            log.warn("Ignoring command for member {}: {}", identity.memberId(), problem);
            return;
        }
        if (closed) {
            return;
        }
        UpdateLedger.Admission admission = ledger.admit(command);
        if (admission.run()) {
            // the acknowledgement goes at once, before the command waits its turn (or the run lock, or Puppet)
            publish(updating(command), command);
            try {
                serial.execute(() -> apply(command));
            } catch (RejectedExecutionException e) {
                ledger.abandon(command); // closing
            }
        } else if (admission.earlierResult() != null) {
            log.info(
                    "Update {} (rollback {}, no-op {}) already handled, answering again",
                    command.updateId(),
                    command.rollback(),
                    command.noop());
            publish(admission.earlierResult(), command);
        } else {
            publish(updating(command), command);
        }
    }

    private void apply(SoftwareUpdateEvent command) {
        log.info(
                "Update {}: applying version {}{}",
                command.updateId(),
                command.version(),
                command.rollback() ? " (rollback)" : command.noop() ? " (no-op run)" : "");
        Object result;
        try {
            result = updates.apply(command, version());
        } catch (InterruptedException e) {
            ledger.abandon(command);
            log.warn("Update {}: stopped with the agent, no result reported", command.updateId());
            return;
        }
        ledger.complete(command, result);
        log.info("Update {}: {}", command.updateId(), describe(result));
        publish(result, command);
    }

    private InstanceUpdatingEvent updating(SoftwareUpdateEvent command) {
        return new InstanceUpdatingEvent(
                command.updateId(),
                identity.applicationId(),
                identity.serviceName(),
                identity.clusterId(),
                identity.memberId(),
                command.version(),
                command.rollback(),
                command.noop());
    }

    private void publish(Object event, SoftwareUpdateEvent command) {
        try {
            channel.publish(event);
        } catch (AgentException | RuntimeException e) {
            // the result is in the ledger: the manager's repeated command will get it
            log.error(
                    "Update {}: could not publish {}: {}",
                    command.updateId(),
                    event.getClass().getSimpleName(),
                    e.getMessage());
        }
    }

    private String problemWith(SoftwareUpdateEvent command) {
        if (command == null) {
            return "empty command";
        }
        if (command.updateId() == null || command.updateId().isBlank()) {
            return "no updateId in " + command;
        }
        if (command.version() == null || command.version().isBlank()) {
            return "no version in " + command;
        }
        if (command.memberId() != null && !command.memberId().equals(identity.memberId())) {
            return "addressed to member " + command.memberId();
        }
        return null;
    }

    private static String describe(Object result) {
        if (result instanceof InstanceUpdateFailedEvent failed) {
            return (failed.noop() ? "no-op run failed (" : "failed (") + failed.failure() + "): " + failed.reason();
        }
        InstanceUpdatedEvent updated = (InstanceUpdatedEvent) result;
        return updated.noop()
                ? "no-op run for version " + updated.version() + " passed"
                : "now on version " + updated.version();
    }
}
