package org.stratos.update.runtime.kubernetes;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.event.TransactionalEventListener;
import org.stratos.update.topology.ApplicationRegistered;

/**
 * Starts the pod watch once the context is up (without waiting for the API server: the watch keeps trying, and
 * adopts the pods when it gets through) and stops it before the client closes. Pods of an application registered
 * later are adopted when the registration commits.
 */
class KubernetesWatchLifecycle implements SmartLifecycle {

    private final PodWatch watch;
    private volatile boolean running;

    KubernetesWatchLifecycle(PodWatch watch) {
        this.watch = watch;
    }

    @Override
    public void start() {
        watch.start();
        running = true;
    }

    @Override
    public void stop() {
        watch.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onRegistered(ApplicationRegistered registered) {
        watch.adopt(registered.applicationId());
    }
}
