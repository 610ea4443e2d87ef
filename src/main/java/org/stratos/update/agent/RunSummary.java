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
 * <p>Read with a few lines of parsing instead of a YAML library (the agent jar stays small): the file is Puppet's
 * {@code YAML.dump} of a hash of hashes of numbers, two levels deep.
 */
record RunSummary(Integer resourcesChanged, Integer resourcesFailed) {

    static final RunSummary NONE = new RunSummary(null, null);

    /** The summary in {@code file} when it was written at or after {@code runStarted}; {@link #NONE} otherwise. */
    static RunSummary read(Path file, Instant runStarted) {
        if (file == null || !Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), runStarted);
        } catch (IOException | RuntimeException e) {
            return NONE; // unreadable (Puppet writes it mode 0640) or not a summary: no counts rather than wrong ones
        }
    }

    static RunSummary parse(String yaml, Instant runStarted) {
        String section = "";
        Long lastRun = null;
        Integer changed = null;
        Integer failed = null;
        for (String line : yaml.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("---")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                section = line.endsWith(":") ? line.substring(0, line.length() - 1).trim() : "";
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
            } else if (section.equals("time") && key.equals("last_run")) {
                lastRun = (long) (double) Double.valueOf(value);
            }
        }
        if (lastRun == null || lastRun < runStarted.getEpochSecond()) {
            return NONE;
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
