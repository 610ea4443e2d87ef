package org.stratos.update.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What Puppet's last run summary ({@code last_run_summary.yaml}, its {@code lastrunfile}) says about a run: the
 * resources it changed and the ones that failed. Only a summary written by the run in question counts: its
 * {@code time: last_run} (seconds since the epoch, written when the run ended) must not be older than the run's
 * start. A catalog that fails to compile writes none, and the file then still holds an earlier run's.
 *
 * <p>A no-op run ({@code --noop}) changes nothing, so its {@code resources: changed} is always 0; what it would change
 * is in {@code resources: out_of_sync} (the resources not as the catalog wants them, failed ones included). For a
 * no-op run the count of changes is therefore {@code out_of_sync - failed}: the resources a real run would change.
 *
 * <p>Read with a few lines of parsing instead of a YAML library (the agent jar stays small): the file is Puppet's
 * {@code YAML.dump} of a hash of hashes of numbers, two levels deep.
 */
record RunSummary(Integer resourcesChanged, Integer resourcesFailed) {

    static final RunSummary NONE = new RunSummary(null, null);

    /** The summary in {@code file} when it was written at or after {@code runStarted}; {@link #NONE} otherwise. */
    static RunSummary read(Path file, Instant runStarted) {
        return read(file, runStarted, false);
    }

    /**
     * As {@link #read(Path, Instant)}; for a no-op run ({@code noop}) {@code resourcesChanged} counts the resources the
     * run would have changed.
     */
    static RunSummary read(Path file, Instant runStarted, boolean noop) {
        if (file == null || !Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), runStarted, noop);
        } catch (IOException | RuntimeException e) {
            return NONE; // unreadable (Puppet writes it mode 0640) or not a summary: no counts rather than wrong ones
        }
    }

    static RunSummary parse(String yaml, Instant runStarted, boolean noop) {
        String section = "";
        Long lastRun = null;
        Integer changed = null;
        Integer failed = null;
        Integer outOfSync = null;
        for (String line : yaml.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("---")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                section = line.endsWith(":")
                        ? line.substring(0, line.length() - 1).trim()
                        : "";
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (section.equals("resources") && key.equals("changed")) {
                changed = number(value);
            } else if (section.equals("resources") && key.equals("failed")) {
                failed = number(value);
            } else if (section.equals("resources") && key.equals("out_of_sync")) {
                outOfSync = number(value);
            } else if (section.equals("time") && key.equals("last_run")) {
                lastRun = (long) (double) Double.valueOf(value);
            }
        }
        if (lastRun == null || lastRun < runStarted.getEpochSecond()) {
            return NONE;
        }
        if (noop) {
            changed = outOfSync == null ? null : Math.max(0, outOfSync - (failed == null ? 0 : failed));
        }
        return new RunSummary(changed, failed);
    }

    private static Integer number(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
