package org.stratos.update.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * The external fact file the agent writes before every run, so that every Puppet run on the member sees the same
 * version: the agent's own, one under {@code sudo} (whose default {@code env_reset} drops {@code FACTER_*}
 * variables), and scheduled ones (cron, the daemon) that have no variables at all. JSON, read by Facter as the
 * facts {@code stratos_version}, {@code stratos_previous_version}, {@code stratos_rollback} (a Boolean),
 * {@code stratos_update_id} and {@code stratos_noop} (a Boolean). Replaced atomically (a run never reads half a
 * file); when the path is a symbolic link, the file it points to is replaced, so an agent that is not root can keep
 * the file in a directory of its own, linked from Facter's {@code facts.d}.
 */
final class FactFile {

    private final Path path;

    FactFile(Path path) {
        this.path = path;
    }

    /** What the file holds now, to be put back with {@link #restore}; null when there is no file. */
    byte[] snapshot() throws IOException {
        Path target = target();
        return Files.isRegularFile(target) ? Files.readAllBytes(target) : null;
    }

    void write(SoftwareUpdateEvent command, String previousVersion) throws IOException {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("stratos_version", command.version());
        if (previousVersion != null) {
            facts.put("stratos_previous_version", previousVersion);
        }
        facts.put("stratos_rollback", command.rollback());
        facts.put("stratos_update_id", command.updateId());
        facts.put("stratos_noop", command.noop());
        replace(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(facts));
    }

    /** Puts back what {@link #snapshot} returned: the same bytes, or no file. */
    void restore(byte[] snapshot) throws IOException {
        if (snapshot == null) {
            Files.deleteIfExists(target());
        } else {
            replace(snapshot);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private void replace(byte[] content) throws IOException {
        Path target = target();
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // written beside the file (a rename is atomic only within a file system), under a name Facter does not read
        Path temp = Files.createTempFile(
                directory,
                ".stratos-facts-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file itself, through a symbolic link if the path is one (which may point to a file not yet written). */
    private Path target() throws IOException {
        Path target = path;
        for (int hops = 0; Files.isSymbolicLink(target) && hops < 8; hops++) {
            Path link = Files.readSymbolicLink(target);
            target = target.toAbsolutePath().getParent().resolve(link);
        }
        return target;
    }
}
