package org.stratos.update.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where tests find what the build made for the agent and what the repository holds beside it, from either module:
 * the agent's tests run in {@code agent/}, the manager's at the top level.
 */
public final class AgentJar {

    /** The runnable agent jar's name: {@code stratos-update-agent-<version>-standalone.jar}. */
    static final String PATTERN = "stratos-update-agent-.*-standalone\\.jar";

    private AgentJar() {}

    /**
     * The runnable agent jar that {@code mvn package} builds in {@code agent/target/} (the one operators install), as
     * an absolute path; the system property {@code stratos.agent.jar} names another one.
     */
    public static Path find() {
        String other = System.getProperty("stratos.agent.jar");
        if (other != null && !other.isBlank()) {
            return Path.of(other).toAbsolutePath();
        }
        for (Path dir : List.of(Path.of("agent", "target"), Path.of("target"))) {
            Optional<Path> jar = in(dir);
            if (jar.isPresent()) {
                return jar.get().toAbsolutePath();
            }
        }
        throw new IllegalStateException("no agent/target/stratos-update-agent-*-standalone.jar: it exists after"
                + " packaging (mvn verify runs *IT classes after it)");
    }

    /** The runnable agent jar in {@code dir}, if there is one. */
    public static Optional<Path> in(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(PATTERN))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A path of the repository's top level ({@code config/puppet}, ...), from the top level or from {@code agent/}.
     */
    public static Path repositoryPath(String relative) {
        Path here = Path.of(relative);
        Path fromAgent = Path.of("..").resolve(relative);
        return !Files.exists(here) && Files.exists(fromAgent) ? fromAgent.normalize() : here;
    }
}
