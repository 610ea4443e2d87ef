package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Set;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CompensateEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stratos.update.update.delegate.FlowDelegates;

/** Rules every flow in {@code processes/} keeps, checked on the files themselves (no engine). */
class FlowModelRulesTest {

    static final String RETRY = "R5/PT10S";

    @ParameterizedTest
    @ValueSource(strings = {"software-update", "phased-cluster-update", "all-at-once-cluster-update", "batch-update",
            "member-update", "cluster-rollback"})
    void asyncStepsRetryFiveTimesTenSecondsApartBeforeTheyBecomeIncidents(String file) {
        for (ServiceTask task : read(file).getModelElementsByType(ServiceTask.class)) {
            if (task.isCamundaAsyncBefore()) {
                assertThat(retryCycle(task)).as(task.getId()).isEqualTo(RETRY);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"software-update", "phased-cluster-update", "all-at-once-cluster-update", "batch-update",
            "member-update", "cluster-rollback"})
    void everyServiceTaskNamesADelegateThatExists(String file) {
        Set<String> delegates = FlowDelegates.wiredTo(null, null, null, null).keySet();
        for (ServiceTask task : read(file).getModelElementsByType(ServiceTask.class)) {
            String expression = task.getCamundaDelegateExpression();
            assertThat(expression).as(task.getId()).startsWith("${").endsWith("}");
            assertThat(delegates).as(task.getId()).contains(expression.substring(2, expression.length() - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"software-update", "phased-cluster-update", "all-at-once-cluster-update"})
    void noCompensationHandlerIsMultiInstance(String file) {
        // the engine starts a handler by its own id, outside a loop on it: loop inside a handler subprocess instead
        for (Activity activity : read(file).getModelElementsByType(Activity.class)) {
            if (activity.isForCompensation()) {
                assertThat(activity.getLoopCharacteristics()).as(activity.getId()).isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"software-update", "phased-cluster-update", "all-at-once-cluster-update"})
    void compensationBoundaryEventsParseWithoutWarnings(String file) {
        // waitForCompletion is for throwing events; on a boundary event the engine warns at every deployment
        for (BoundaryEvent event : read(file).getModelElementsByType(BoundaryEvent.class)) {
            event.getEventDefinitions().stream().filter(CompensateEventDefinition.class::isInstance)
                    .forEach(d -> assertThat(d.getAttributeValue("waitForCompletion")).as(event.getId()).isNull());
        }
    }

    private static String retryCycle(ServiceTask task) {
        if (task.getExtensionElements() == null) {
            return null;
        }
        CamundaFailedJobRetryTimeCycle cycle = task.getExtensionElements().getElementsQuery()
                .filterByType(CamundaFailedJobRetryTimeCycle.class).singleResult();
        return cycle.getTextContent();
    }

    private static BpmnModelInstance read(String file) {
        InputStream in = FlowModelRulesTest.class.getResourceAsStream("/processes/" + file + ".bpmn");
        assertThat(in).as(file).isNotNull();
        return Bpmn.readModelFromStream(in);
    }
}
