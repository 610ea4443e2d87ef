package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.entity.MessageEntity;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job an update's job creates in another process instance of the same update runs on the creating thread right
 * after it, as a job of its own (its own transaction, its own incident); only the first such job of a step.
 */
class HierarchyJobHandOverTest {

    /** The thread each child's asynchronous first step ran on, in order. */
    static final List<String> THREADS = new CopyOnWriteArrayList<>();

    private ProcessEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        THREADS.clear();
    }

    @Test
    void theNextJobOfTheSameUpdateRunsOnTheThreadThatCreatedIt() {
        engine = engine(List.of(new HierarchyJobHandOver()));
        deploy();
        engine.getRuntimeService()
                .startProcessInstanceByKey("parent", Map.of("children", List.of(1, 2, 3, 4, 5, 6), "failChild", false));

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        engine.getRuntimeService().createProcessInstanceQuery().count() == 0);
        // the parent's step, then each child's, each child started by the job before it: one thread for all
        assertThat(THREADS).hasSize(7);
        assertThat(THREADS.stream().distinct()).hasSize(1);
    }

    @Test
    void withoutItTheJobOfAnotherInstanceGoesThroughAcquisitionToAnotherThread() {
        engine = engine(List.of());
        deploy();
        engine.getRuntimeService()
                .startProcessInstanceByKey("parent", Map.of("children", List.of(1, 2, 3, 4, 5, 6), "failChild", false));

        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        engine.getRuntimeService().createProcessInstanceQuery().count() == 0);
        assertThat(THREADS).hasSize(7);
        // the job executor's pool starts a new thread for each job until it has its core threads
        assertThat(THREADS.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void aFailingHandedOverJobFailsOnItsOwnStepAndTheStepThatCreatedItStaysDone() {
        engine = engine(List.of(new HierarchyJobHandOver()));
        deploy();
        engine.getRuntimeService()
                .startProcessInstanceByKey("parent", Map.of("children", List.of(1), "failChild", true));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> engine.getManagementService()
                                .createJobQuery()
                                .noRetriesLeft()
                                .count()
                        == 1);
        Job failed = engine.getManagementService().createJobQuery().singleResult();
        assertThat(failed.getExceptionMessage()).contains("the step fails");
        // the failure, its retries and the incident Cockpit shows are on the child's step, not on the parent's
        assertThat(engine.getHistoryService()
                        .createHistoricJobLogQuery()
                        .failureLog()
                        .list())
                .isNotEmpty()
                .allSatisfy(log -> assertThat(log.getFailedActivityId()).isEqualTo("serviceTask_childStep"));
        assertThat(engine.getHistoryService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("serviceTask_parentStep")
                        .finished()
                        .count())
                .isEqualTo(1); // the parent's step that started the child committed on its own
    }

    @Test
    void onlyTheFirstJobOfAStepInAnotherInstanceOfTheUpdateIsTakenOver() {
        HierarchyJobHandOver.UpdateJobManager jobs = new HierarchyJobHandOver.UpdateJobManager();
        MessageEntity current = job("root", "parent");
        assertThat(jobs.areInSameProcessInstance(job("root", "parent"), current))
                .isTrue(); // the engine's own rule, always
        assertThat(jobs.areInSameProcessInstance(job("other-root", "x"), current))
                .isFalse();
        assertThat(jobs.areInSameProcessInstance(job("root", "child-1"), current))
                .isTrue();
        assertThat(jobs.areInSameProcessInstance(job("root", "child-2"), current))
                .isFalse(); // a second flow started by the same step: acquired as before, in parallel
        assertThat(jobs.areInSameProcessInstance(job("root", "parent"), current))
                .isTrue();
    }

    private static MessageEntity job(String root, String processInstance) {
        MessageEntity job = new MessageEntity();
        job.setRootProcessInstanceId(root);
        job.setProcessInstanceId(processInstance);
        return job;
    }

    private void deploy() {
        BpmnModelInstance parent = Bpmn.createExecutableProcess("parent")
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .serviceTask("serviceTask_parentStep")
                .camundaAsyncBefore()
                .camundaExpression("${HierarchyJobHandOverTest.step(false)}")
                .callActivity("callActivity_child")
                .calledElement("child")
                .camundaIn("failChild", "failChild")
                .multiInstance()
                .sequential()
                .camundaCollection("${children}")
                .camundaElementVariable("n")
                .multiInstanceDone()
                .camundaAsyncAfter()
                .endEvent()
                .done();
        BpmnModelInstance child = Bpmn.createExecutableProcess("child")
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .serviceTask("serviceTask_childStep")
                .camundaAsyncBefore()
                .camundaFailedJobRetryTimeCycle("R1/PT0S")
                .camundaExpression("${HierarchyJobHandOverTest.step(failChild == true)}")
                .endEvent()
                .done();
        engine.getRepositoryService()
                .createDeployment()
                .addModelInstance("parent.bpmn", parent)
                .addModelInstance("child.bpmn", child)
                .deploy();
    }

    private static ProcessEngine engine(List<ProcessEnginePlugin> plugins) {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        // a name of its own: closing an engine named "default" would unregister the Spring context's engine, which
        // /engine-rest finds by that name, for every later test in this JVM
        configuration.setProcessEngineName("hierarchy-hand-over-test");
        configuration.setJdbcUrl("jdbc:h2:mem:hierarchy-hand-over;DB_CLOSE_DELAY=-1");
        configuration.setDatabaseSchemaUpdate("create-drop");
        configuration.setJobExecutorActivate(true);
        configuration.setHistory("full");
        configuration.setProcessEnginePlugins(plugins);
        configuration.setBeans(Map.of("HierarchyJobHandOverTest", new Recorder()));
        return configuration.buildProcessEngine();
    }

    /** Records the thread a step runs on, or fails it. */
    public static final class Recorder {
        public boolean step(boolean fail) {
            if (fail) {
                throw new IllegalStateException("the step fails");
            }
            THREADS.add(Thread.currentThread().getName());
            return true;
        }
    }
}
