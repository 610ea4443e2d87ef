package org.stratos.update.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns the refusal into Spring Boot's "APPLICATION FAILED TO START" report instead of a stack trace. */
class DemoPasswordFailureAnalyzer extends AbstractFailureAnalyzer<DemoPasswordRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DemoPasswordRefusedException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Set STRATOS_ADMIN_PASSWORD to the admin password (on a database where the admin user already "
                        + "exists, also change it in Camunda Admin), or run without profiles for the local demo.",
                cause);
    }
}
