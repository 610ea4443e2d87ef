package org.stratos.update.update.flow;

import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;

/**
 * The engine of the flow tests: plain (no Spring), from {@code flow-tests.camunda.cfg.xml}, built once and shared by
 * every flow test class, with process test coverage recorded per class into
 * {@code target/process-test-coverage/<test class>/}.
 */
final class FlowEngine {

    static final String CONFIGURATION = "flow-tests.camunda.cfg.xml";

    private FlowEngine() {}

    /** A test class's engine extension; register it {@code static} so the class's coverage report is written. */
    static ProcessEngineCoverageExtension withCoverage() {
        return ProcessEngineCoverageExtension.builder(CONFIGURATION).build();
    }
}
