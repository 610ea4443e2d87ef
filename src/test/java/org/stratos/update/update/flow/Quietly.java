package org.stratos.update.update.flow;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Runs a step whose failures a test provokes on purpose, without the engine logging each one with its stack trace. */
final class Quietly {

    /** The engine logs every exception that rolls back a command (a failed job) here, at ERROR. */
    private static final String COMMAND_CONTEXT_LOG = "org.camunda.bpm.engine.context";

    private Quietly() {}

    static void run(Runnable expectedFailures) {
        Logger log = (Logger) LoggerFactory.getLogger(COMMAND_CONTEXT_LOG);
        Level before = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            expectedFailures.run();
        } finally {
            log.setLevel(before);
        }
    }
}
