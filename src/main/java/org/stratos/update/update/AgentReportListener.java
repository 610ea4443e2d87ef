package org.stratos.update.update;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;
import org.stratos.update.messaging.EventReader;
import org.stratos.update.messaging.EventRejections;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * Agents' reports on update commands, read from the manager's virtual-topic queues, what is waiting there taken in one
 * go (one JMS and one database transaction for all, see {@link ReportListenerContainers}); each message is read and
 * checked on its own as before. Reports no member flow expects
 * (unknown update or member, duplicates, late, or for another version) are counted as rejected and acknowledged; a
 * late one and one for another version are kept in the member's record as well. A report the broker delivers again
 * ({@code JMSRedelivered}) that finds itself recorded is no rejection: it is counted as redelivered.
 * <p>
 * The reports are the update's own business, so their listener lives here and reads through messaging's door
 * ({@link EventReader}: size, input rules, sender); messaging knows nothing of updates.
 */
@Component
class AgentReportListener {

    private static final String UPDATING = EventTopics.topicOf(InstanceUpdatingEvent.class);
    private static final String UPDATED = EventTopics.topicOf(InstanceUpdatedEvent.class);
    private static final String FAILED = EventTopics.topicOf(InstanceUpdateFailedEvent.class);

    private final EventReader reader;
    private final EventRejections rejections;
    private final ReportCorrelator reports;

    AgentReportListener(EventReader reader, EventRejections rejections, ReportCorrelator reports) {
        this.reader = reader;
        this.rejections = rejections;
        this.reports = reports;
    }

    @JmsListener(
            destination = "Consumer.${stratos.broker.consumer-name}.instance.status.InstanceUpdatingEvent",
            containerFactory = "reportListenerFactory")
    void onUpdating(Message message) {
        Received acks = new Received();
        for (Message m : ReportListenerContainers.drained(message)) {
            acks.from(m);
            reader.read(m, UPDATING, InstanceUpdatingEvent.class)
                    .filter(e -> valid(UPDATING, e.updateId(), e.memberId()))
                    .ifPresent(e -> acks.add(new ReportCorrelator.Incoming(
                            e.updateId(), e.memberId(), e.version(), RunPhase.of(e.rollback(), e.noop()), null)));
        }
        if (!acks.incoming.isEmpty()) {
            countAll(UPDATING, acks, reports.applyingAll(acks.incoming));
        }
    }

    @JmsListener(
            destination = "Consumer.${stratos.broker.consumer-name}.instance.status.InstanceUpdatedEvent",
            containerFactory = "reportListenerFactory")
    void onUpdated(Message message) {
        Received updated = new Received();
        for (Message m : ReportListenerContainers.drained(message)) {
            updated.from(m);
            reader.read(m, UPDATED, InstanceUpdatedEvent.class)
                    .filter(e -> valid(UPDATED, e.updateId(), e.memberId()))
                    .ifPresent(e -> updated.add(new ReportCorrelator.Incoming(
                            e.updateId(),
                            e.memberId(),
                            e.version(),
                            RunPhase.of(e.rollback(), e.noop()),
                            new AgentReport(
                                    true,
                                    e.exitCode(),
                                    null,
                                    null,
                                    null,
                                    e.durationMillis(),
                                    e.resourcesChanged(),
                                    e.resourcesFailed()))));
        }
        if (!updated.incoming.isEmpty()) {
            countAll(UPDATED, updated, reports.reportedAll(updated.incoming));
        }
    }

    @JmsListener(
            destination = "Consumer.${stratos.broker.consumer-name}.instance.status.InstanceUpdateFailedEvent",
            containerFactory = "reportListenerFactory")
    void onFailed(Message message) {
        Received failed = new Received();
        for (Message m : ReportListenerContainers.drained(message)) {
            failed.from(m);
            reader.read(m, FAILED, InstanceUpdateFailedEvent.class)
                    .filter(e -> valid(FAILED, e.updateId(), e.memberId()))
                    .filter(e -> knownFailure(e.failure()))
                    .ifPresent(e -> failed.add(new ReportCorrelator.Incoming(
                            e.updateId(),
                            e.memberId(),
                            e.version(),
                            RunPhase.of(e.rollback(), e.noop()),
                            new AgentReport(
                                    false,
                                    e.exitCode(),
                                    e.failure(),
                                    e.reason(),
                                    e.outputTail(),
                                    e.durationMillis(),
                                    e.resourcesChanged(),
                                    e.resourcesFailed()))));
        }
        if (!failed.incoming.isEmpty()) {
            countAll(FAILED, failed, reports.reportedAll(failed.incoming));
        }
    }

    private void countAll(String topic, Received received, List<ReportCorrelator.Outcome> outcomes) {
        for (int i = 0; i < received.incoming.size(); i++) {
            count(
                    topic,
                    outcomes.get(i),
                    received.redelivered.get(i),
                    received.incoming.get(i).updateId(),
                    received.incoming.get(i).memberId());
        }
    }

    private boolean valid(String topic, String updateId, String memberId) {
        if (updateId == null || memberId == null) {
            rejections.reject(topic, "invalid", "missing " + (updateId == null ? "updateId" : "memberId"));
            return false;
        }
        return true;
    }

    /** The kind of failure decides what becomes of the member (nothing ran, or it failed): only known kinds count. */
    private boolean knownFailure(String failure) {
        if (failure != null && !InstanceUpdateFailedEvent.FAILURES.contains(failure)) {
            rejections.reject(
                    FAILED,
                    "invalid",
                    "unknown kind of failure '" + failure.substring(0, Math.min(failure.length(), 40)) + "' (known: "
                            + InstanceUpdateFailedEvent.FAILURES + ")");
            return false;
        }
        return true;
    }

    private void count(
            String topic, ReportCorrelator.Outcome outcome, boolean redelivered, String updateId, String memberId) {
        switch (outcome) {
            case UNKNOWN ->
                rejections.reject(topic, "unknown", "no update '" + updateId + "' of member '" + memberId + "'");
            case DUPLICATE -> {
                if (redelivered) { // recorded already; its acknowledgement never reached the broker
                    rejections.redelivered(
                            topic, "member '" + memberId + "' of update '" + updateId + "': recorded already");
                } else {
                    rejections.reject(
                            topic,
                            "duplicate",
                            "member '" + memberId + "' of update '" + updateId
                                    + "' is not waiting for this report (a repeat)");
                }
            }
            case OVERTAKEN ->
                rejections.overtaken(
                        topic,
                        "member '" + memberId + "' of update '" + updateId
                                + "': its report came first (they travel on separate queues)");
            case LATE ->
                rejections.reject(
                        topic,
                        "late",
                        "member '" + memberId + "' of update '" + updateId
                                + "' reported after the manager gave up waiting; kept in its record as a late report");
            case WRONG_VERSION ->
                rejections.reject(
                        topic,
                        "wrong-version",
                        "member '" + memberId + "' of update '" + updateId
                                + "' reported another version than it was sent; its run is recorded as failed so");
            default -> {}
        }
    }

    /**
     * The reports read in one call, each with whether the broker delivered its message again: {@link #from} names the
     * message read next, {@link #add} keeps its report.
     */
    private static final class Received {

        final List<ReportCorrelator.Incoming> incoming = new ArrayList<>();
        final List<Boolean> redelivered = new ArrayList<>();
        private boolean current;

        void from(Message message) {
            try {
                current = message.getJMSRedelivered();
            } catch (JMSException e) {
                current = false; // counted as any repeat would be
            }
        }

        void add(ReportCorrelator.Incoming report) {
            incoming.add(report);
            redelivered.add(current);
        }
    }
}
