package org.stratos.update.agent;

import java.net.URI;
import java.util.List;

/** Whether the member serves again after an update (and, at boot, before it announces itself as activated). */
public interface HealthCheck {

    /** Nothing to check: the member counts as healthy as soon as the update command succeeded. */
    HealthCheck NONE = new HealthCheck() {
        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /** One check; false (not an exception) when the member does not answer or answers wrongly. */
    boolean healthy() throws InterruptedException;

    /** What is checked, for reports and failure reasons: the URL, or the command line. */
    String describe();

    /** GET {@code url}; any 2xx answer within a few seconds is healthy. */
    static HealthCheck http(URI url) {
        return new HttpHealthCheck(url);
    }

    /** Runs {@code argv} without a shell; exit code 0 within the check's time-out is healthy. */
    static HealthCheck command(List<String> argv) {
        return new CommandHealthCheck(argv);
    }
}
