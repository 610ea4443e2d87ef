package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.CompensateEventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stratos.update.update.delegate.FlowDelegates;

/** Rules every flow in {@code processes/} keeps, checked on the files themselves (no engine). */
class FlowModelRulesTest {

    static final String RETRY = "R5/PT10S";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void asyncStepsRetryFiveTimesTenSecondsApartBeforeTheyBecomeIncidents(String file) {
        for (ServiceTask task : read(file).getModelElementsByType(ServiceTask.class)) {
            if (task.isCamundaAsyncBefore()) {
                assertThat(retryCycle(task)).as(task.getId()).isEqualTo(RETRY);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
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
                assertThat(activity.getLoopCharacteristics())
                        .as(activity.getId())
                        .isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"software-update", "phased-cluster-update", "all-at-once-cluster-update"})
    void compensationBoundaryEventsParseWithoutWarnings(String file) {
        // waitForCompletion is for throwing events; on a boundary event the engine warns at every deployment
        for (BoundaryEvent event : read(file).getModelElementsByType(BoundaryEvent.class)) {
            event.getEventDefinitions().stream()
                    .filter(CompensateEventDefinition.class::isInstance)
                    .forEach(d -> assertThat(d.getAttributeValue("waitForCompletion"))
                            .as(event.getId())
                            .isNull());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void everyCallActivityRunsTheFlowsOfItsOwnDeployment(String file) {
        // an update finishes on the flows it started with: an edited child flow is for the updates started after it
        for (CallActivity call : read(file).getModelElementsByType(CallActivity.class)) {
            assertThat(call.getCamundaCalledElementBinding()).as(call.getId()).isEqualTo("deployment");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void idsSayWhatAnElementIsAndNamesSayWhatItDoes(String file) {
        BpmnModelInstance model = read(file);
        Pattern node = Pattern.compile("[a-z][A-Za-z]*_[a-z][A-Za-z]*");
        Pattern flow = Pattern.compile("flow_[a-z][A-Za-z]*_to_[a-z][A-Za-z]*");
        List<String> wrong = new ArrayList<>();
        for (FlowNode n : model.getModelElementsByType(FlowNode.class)) {
            if (!node.matcher(n.getId()).matches()) {
                wrong.add(n.getId() + ": id is not <kind>_<camelCaseName>");
            }
            boolean merge = n instanceof Gateway && n.getOutgoing().size() <= 1;
            boolean compensation = n instanceof BoundaryEvent
                    && n.getChildElementsByType(CompensateEventDefinition.class).size() == 1;
            if (!merge && !compensation && (n.getName() == null || n.getName().isBlank())) {
                wrong.add(n.getId() + ": no name");
            }
        }
        for (SequenceFlow f : model.getModelElementsByType(SequenceFlow.class)) {
            if (!flow.matcher(f.getId()).matches()) {
                wrong.add(f.getId() + ": id is not flow_<from>_to_<to>");
            }
            if (f.getSource() instanceof Gateway g
                    && g.getOutgoing().size() > 1
                    && !(g instanceof org.camunda.bpm.model.bpmn.instance.EventBasedGateway)
                    && (f.getName() == null || f.getName().isBlank())) {
                wrong.add(f.getId() + ": leaves a decision without saying which answer it is");
            }
        }
        assertThat(wrong).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void everyElementIsDrawn(String file) {
        FlowDiagram diagram = FlowDiagram.of(read(file));
        assertThat(diagram.undrawn()).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void theDiagramFitsOneScreen(String file) {
        FlowDiagram.Box bounds = FlowDiagram.of(read(file)).bounds();
        assertThat(bounds.width()).as(file + " width").isLessThanOrEqualTo(FlowDiagram.SCREEN_WIDTH);
        assertThat(bounds.height()).as(file + " height").isLessThanOrEqualTo(FlowDiagram.SCREEN_HEIGHT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void noShapeLiesOnAnother(String file) {
        assertThat(FlowDiagram.of(read(file)).overlappingShapes()).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void noLabelLiesOnAShapeOrOnAnotherLabel(String file) {
        FlowDiagram diagram = FlowDiagram.of(read(file));
        assertThat(diagram.labelsWithoutRoom()).as(file).isEmpty();
        assertThat(diagram.coveredLabels()).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void noLinesCrossAndNoLineRunsThroughAShape(String file) {
        FlowDiagram diagram = FlowDiagram.of(read(file));
        assertThat(diagram.crossingLines()).as(file).isEmpty();
        assertThat(diagram.linesThroughShapes()).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void theFlowReadsLeftToRight(String file) {
        assertThat(FlowDiagram.of(read(file)).backwardLinesOutsideLoops())
                .as(file)
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "software-update",
                "phased-cluster-update",
                "all-at-once-cluster-update",
                "batch-update",
                "member-update",
                "cluster-rollback"
            })
    void noGatewayGathersMoreLinesThanItHasFreeSides(String file) {
        // a gateway has four corners and one of them is its way out: three lines in at most, one per corner, so a
        // reader never has to tell lines apart where they meet; more ways back are merged before it
        for (Gateway gateway : read(file).getModelElementsByType(Gateway.class)) {
            assertThat(gateway.getIncoming()).as(gateway.getId()).hasSizeLessThanOrEqualTo(MAX_INCOMING);
        }
    }

    @Test
    void theGeometricRulesFindWhatTheyAreFor() {
        // a drawing with each fault once: the rules above would pass on anything if these found nothing
        FlowDiagram faulty = FlowDiagram.of(
                Bpmn.readModelFromStream(FlowModelRulesTest.class.getResourceAsStream("/diagram-faults.bpmn")));
        assertThat(faulty.undrawn()).containsExactly("flow_b_to_c");
        assertThat(faulty.overlappingShapes()).isNotEmpty();
        assertThat(faulty.coveredLabels()).isNotEmpty();
        assertThat(faulty.crossingLines()).isNotEmpty();
        assertThat(faulty.linesThroughShapes()).isNotEmpty();
        assertThat(faulty.backwardLinesOutsideLoops()).containsExactly("flow_d_to_e runs right to left outside a loop");
        assertThat(faulty.bounds().width()).isGreaterThan(FlowDiagram.SCREEN_WIDTH);
    }

    static final int MAX_INCOMING = 3;

    private static String retryCycle(ServiceTask task) {
        if (task.getExtensionElements() == null) {
            return null;
        }
        CamundaFailedJobRetryTimeCycle cycle = task.getExtensionElements()
                .getElementsQuery()
                .filterByType(CamundaFailedJobRetryTimeCycle.class)
                .singleResult();
        return cycle.getTextContent();
    }

    private static BpmnModelInstance read(String file) {
        InputStream in = FlowModelRulesTest.class.getResourceAsStream("/processes/" + file + ".bpmn");
        assertThat(in).as(file).isNotNull();
        return Bpmn.readModelFromStream(in);
    }
}
