package org.stratos.update.update;

import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finds updates whose {@code softwareUpdate} process is gone although the update never recorded an end — a process
 * cancelled with "skip custom listeners" (Cockpit's default) or deleted through the API — and cleans up after them
 * as the process's end listener would: recorded CANCELLED, clusters released, members left Updating suspended.
 * Runs every minute on every node; the clean-up is idempotent.
 */
@Component
class CancelledUpdates {

    private static final Logger log = LoggerFactory.getLogger(CancelledUpdates.class);

    private final UpdateRepository repository;
    private final UpdateService updates;
    private final RuntimeService runtime;

    CancelledUpdates(UpdateRepository repository, UpdateService updates, RuntimeService runtime) {
        this.repository = repository;
        this.updates = updates;
        this.runtime = runtime;
    }

    @Scheduled(
            fixedDelayString = "${stratos.update.reconcile-interval}",
            initialDelayString = "${stratos.update.reconcile-interval}")
    void reconcile() {
        List<UpdateRecord> unfinished = repository.findUnfinished();
        for (UpdateRecord u : unfinished) {
            boolean running = runtime.createProcessInstanceQuery()
                            .processInstanceBusinessKey(u.id())
                            .processDefinitionKey(FlowNames.SOFTWARE_UPDATE)
                            .count()
                    > 0;
            if (!running && repository.find(u.id()).map(r -> !r.state().ended()).orElse(false)) {
                log.warn("Update {} has no process any more; cleaning up after it", u.id());
                updates.endedOrCancelled(u.id());
            }
        }
    }
}
