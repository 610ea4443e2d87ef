package org.stratos.update.system;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobManager;
import org.springframework.stereotype.Component;

/**
 * Lets a job executor thread run the next job of an update itself when the job it is running creates it in another
 * process instance of the same update (same root process instance), as the engine already does within one process
 * instance. The cluster flow's <i>Decide the next step</i> starts a {@code batchUpdate} whose first step is
 * asynchronous, and the batch's last step ends that instance and continues the cluster flow in an asynchronous job
 * (the call activity's async-after): without this, each such job waits for the job executor's acquisition thread to
 * be woken, to find it with a query and to lock it in a transaction of its own, then for a worker thread — twice per
 * batch, on top of the batch's work (docs/benchmarks.md).
 *
 * <p>Nothing else changes: the job is still a job of its own activity, in a transaction of its own, committed before
 * it runs; it is locked by this node when it is created (lock owner and expiry, as the engine locks a job it acquires),
 * so no other node's acquisition takes it, and runs on this thread right after the job that created it. Its retries,
 * its incident (on its own activity, as in Cockpit before), the exclusivity of jobs of one process instance: as
 * before. Only the first such job of a step runs so: when a step starts several flows (a batch of containers), the
 * others are acquired as before and run in parallel. Should the node die first, its lock is released as every lock of this node is ({@link NodeJobLocks}), or
 * expires.
 */
@Component
class HierarchyJobHandOver extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null
                ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        factories.add(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return JobManager.class; // replaces the engine's own (custom factories are registered after it)
            }

            @Override
            public Session openSession() {
                return new UpdateJobManager();
            }
        });
        configuration.setCustomSessionFactories(factories);
    }

    /**
     * The engine's job manager (one per command, like every session), with "same process instance" widened to "same
     * root process instance" for the first such job of the command: when one step starts several flows at once (a
     * batch of containers, one {@code memberUpdate} each), the others are acquired as before and run in parallel.
     */
    static final class UpdateJobManager extends JobManager {

        private boolean handedOver;

        @Override
        protected boolean areInSameProcessInstance(JobEntity job, JobEntity current) {
            if (super.areInSameProcessInstance(job, current)) {
                return true;
            }
            if (!handedOver && sameRoot(job, current)) {
                handedOver = true;
                return true;
            }
            return false;
        }

        static boolean sameRoot(JobEntity job, JobEntity current) {
            if (job == null || current == null) {
                return false;
            }
            String root = job.getRootProcessInstanceId();
            return root != null && root.equals(rootOf(current));
        }

        /** The job executor loads the running job without its root: that of its execution (in the command's cache). */
        private static String rootOf(JobEntity job) {
            if (job.getRootProcessInstanceId() != null || job.getExecutionId() == null) {
                return job.getRootProcessInstanceId();
            }
            ExecutionEntity execution = job.getExecution();
            return execution == null ? null : execution.getRootProcessInstanceId();
        }
    }
}
