package org.stratos.update.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stops a process and everything it started. The descendants are listed before anything is killed: once the parent
 * dies they are re-parented and no longer reachable through it, yet would keep running (and keep its output pipe
 * open). First a polite SIGTERM to all, then SIGKILL to whatever is still alive after the grace period.
 */
final class ProcessTree {

    static final File NULL_FILE = new File("/dev/null");

    private static final long POLL_MILLIS = 20;

    private ProcessTree() {}

    /**
     * Alive and not a zombie. An orphaned descendant that died stays a zombie until init reaps it, and in a container
     * whose first process does not reap, that is forever; {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int endOfName = stat.lastIndexOf(')');
            return endOfName < 0 || endOfName + 2 >= stat.length() || stat.charAt(endOfName + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (not Linux) or already gone
        }
    }

    static void kill(Process process, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .collect(Collectors.toList());
        tree.forEach(ProcessHandle::destroy);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!interrupted && tree.stream().anyMatch(ProcessTree::running) && System.nanoTime() < deadline) {
                try {
                    TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true; // stopping anyway: skip the rest of the grace period
                }
            }
            tree.stream().filter(ProcessTree::running).forEach(ProcessHandle::destroyForcibly);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
