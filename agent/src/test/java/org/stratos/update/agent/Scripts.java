package org.stratos.update.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Executable {@code /bin/sh} scripts in a test's temporary directory, standing in for Puppet. */
final class Scripts {

    private Scripts() {}

    static Path write(Path dir, String name, String... lines) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Appends a line per run to {@code runs}, prints the version it was handed, exits with {@code exitCode}. */
    static Path puppet(Path dir, Path runs, int exitCode) throws IOException {
        return write(
                dir,
                "puppet-" + exitCode + ".sh",
                "echo \"run $STRATOS_UPDATE_ID\" >> '" + runs + "'",
                "echo \"Notice: applying version $FACTER_stratos_version (rollback $STRATOS_ROLLBACK)\"",
                "echo \"Error: something on stderr\" >&2",
                "exit " + exitCode);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
