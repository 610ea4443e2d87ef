/**
 * Scenario tests of the flows in {@code processes/}, one class per process, on a plain engine (no Spring, job executor
 * off: every job is driven by the test) with the real delegates wired to mocked services. Each class records process
 * test coverage into {@code target/process-test-coverage/<class>/} and fails when its own process falls below 90% of
 * its flow nodes or of its sequence flows ({@link org.stratos.update.update.flow.CoverageFloor}).
 */
package org.stratos.update.update.flow;
