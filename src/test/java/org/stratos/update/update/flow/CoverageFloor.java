package org.stratos.update.update.flow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Association;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CompensateEventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.community.process_test_coverage.core.export.CoverageStateJsonExporter;
import org.camunda.community.process_test_coverage.core.export.CoverageStateResult;
import org.camunda.community.process_test_coverage.core.model.Event;
import org.camunda.community.process_test_coverage.core.model.EventSource;
import org.camunda.community.process_test_coverage.core.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a flow test class when its own process is covered below the floor: flow nodes and sequence flows counted
 * separately (the coverage library reports them only combined). Reads the class's {@code report.json}, so it must be
 * registered before the coverage extension ({@code @Order(1)}): "after" callbacks run in reverse order, so this one
 * runs once the report is written. Checked only when every test of the class ran and passed; a single test run from
 * the IDE is not held to it. The figures go to the log and to {@code coverage-floor.txt} next to the report.
 */
final class CoverageFloor implements TestWatcher, AfterAllCallback {

    static final double FLOOR = 0.9;

    private static final Logger log = LoggerFactory.getLogger(CoverageFloor.class);

    private final String processKey;
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger notPassed = new AtomicInteger();

    CoverageFloor(String processKey) {
        this.processKey = processKey;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        passed.incrementAndGet();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        notPassed.incrementAndGet();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        notPassed.incrementAndGet();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        notPassed.incrementAndGet();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        long tests = Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .count();
        if (notPassed.get() > 0 || passed.get() < tests) {
            return;
        }
        Path dir = Path.of(
                System.getProperty("camunda-process-test-coverage.target-dir-root", "target/process-test-coverage/"),
                testClass.getName());
        Figures figures = figures(read(dir.resolve("report.json")));
        String line = describe(figures);
        log.info("{}: {}", testClass.getSimpleName(), line);
        write(dir.resolve("coverage-floor.txt"), line + System.lineSeparator());
        if (figures.nodes.ratio() < FLOOR || figures.flows.ratio() < FLOOR) {
            throw new AssertionError(
                    "process " + processKey + " is covered below " + Math.round(FLOOR * 100) + "%: " + line);
        }
    }

    private Figures figures(CoverageStateResult result) {
        Model model = result.getModels().stream()
                .filter(m -> m.getKey().equals(processKey))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no coverage recorded for process " + processKey));
        BpmnModelInstance bpmn =
                Bpmn.readModelFromStream(new ByteArrayInputStream(model.getXml().getBytes(StandardCharsets.UTF_8)));
        Collection<Event> events = result.getEvents(processKey);
        Set<String> nodesSeen = seen(events, EventSource.FLOW_NODE);
        nodesSeen.addAll(compensationBoundariesWhoseHandlerRan(bpmn, nodesSeen));
        return new Figures(
                count(bpmn.getModelElementsByType(FlowNode.class), nodesSeen),
                count(bpmn.getModelElementsByType(SequenceFlow.class), seen(events, EventSource.SEQUENCE_FLOW)));
    }

    /**
     * Camunda 7.24 added a parameter to {@code EventHandler.handleEvent}; the coverage library (3.0.0) still overrides
     * the old signature, so it never records a compensation boundary event. The engine runs a compensation handler
     * only through its boundary event: the boundary event counts as covered when its handler ran.
     */
    private static Set<String> compensationBoundariesWhoseHandlerRan(BpmnModelInstance bpmn, Set<String> nodesSeen) {
        return bpmn.getModelElementsByType(Association.class).stream()
                .filter(a -> a.getSource() instanceof BoundaryEvent b
                        && b.getEventDefinitions().stream().anyMatch(CompensateEventDefinition.class::isInstance))
                .filter(a -> nodesSeen.contains(a.getTarget().getId()))
                .map(a -> a.getSource().getId())
                .collect(Collectors.toSet());
    }

    private static Set<String> seen(Collection<Event> events, EventSource source) {
        return events.stream()
                .filter(e -> e.getSource() == source)
                .map(Event::getDefinitionKey)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static Share count(Collection<? extends BaseElement> elements, Set<String> seen) {
        Set<String> ids = elements.stream().map(BaseElement::getId).collect(Collectors.toSet());
        Set<String> covered = ids.stream().filter(seen::contains).collect(Collectors.toSet());
        List<String> missed =
                ids.stream().filter(id -> !covered.contains(id)).sorted().toList();
        return new Share(covered.size(), ids.size(), missed);
    }

    private static CoverageStateResult read(Path report) {
        try {
            return CoverageStateJsonExporter.readCoverageStateResult(Files.readString(report));
        } catch (IOException e) {
            throw new UncheckedIOException("no coverage report at " + report, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Share(int covered, int total, List<String> missed) {

        double ratio() {
            return total == 0 ? 1 : (double) covered / total;
        }

        @Override
        public String toString() {
            return covered + "/" + total + " (" + Math.round(ratio() * 1000) / 10.0 + "%)"
                    + (missed.isEmpty() ? "" : " missed " + missed);
        }
    }

    private record Figures(Share nodes, Share flows) {}

    private String describe(Figures f) {
        return processKey + ": flow nodes " + f.nodes + ", sequence flows " + f.flows;
    }
}
