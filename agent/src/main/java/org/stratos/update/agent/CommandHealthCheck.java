package org.stratos.update.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command without a shell; exit 0 is healthy. Its output is discarded: only the exit code speaks. */
final class CommandHealthCheck implements HealthCheck {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final List<String> argv;

    CommandHealthCheck(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("health check command must not be empty");
        }
        this.argv = List.copyOf(argv);
    }

    @Override
    public boolean healthy() throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(ProcessTree.NULL_FILE))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return false;
        }
        try {
            if (!process.waitFor(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.kill(process, KILL_GRACE);
                return false;
            }
            return process.exitValue() == 0;
        } catch (InterruptedException e) {
            ProcessTree.kill(process, KILL_GRACE);
            throw e;
        }
    }

    @Override
    public String describe() {
        return String.join(" ", argv);
    }
}
