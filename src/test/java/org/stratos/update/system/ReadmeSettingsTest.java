package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's settings table lists every STRATOS_* variable the manager's configuration files read. */
class ReadmeSettingsTest {

    static final Pattern VARIABLE = Pattern.compile("\\$\\{(STRATOS_[A-Z0-9_]+)[:}]");

    @Test
    void everyEnvironmentVariableOfTheSettingsIsInTheReadme() throws IOException {
        Set<String> variables = new TreeSet<>();
        try (Stream<Path> config = Files.list(Path.of("config"))) {
            Stream.concat(
                            Stream.of(Path.of("src/main/resources/application.yaml")),
                            config.filter(p -> p.toString().endsWith(".yaml")))
                    .forEach(file -> {
                        Matcher m = VARIABLE.matcher(read(file));
                        while (m.find()) {
                            variables.add(m.group(1));
                        }
                    });
        }
        String readme = read(Path.of("README.md"));

        assertThat(variables)
                .isNotEmpty()
                .allSatisfy(v -> assertThat(readme).as(v).contains("`" + v + "`"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
