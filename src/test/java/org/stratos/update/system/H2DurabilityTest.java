package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the default run commits survives a kill -9: a JVM of its own opens H2 with the default URL of
 * {@code application.yaml} (its {@code ./data} moved to a temporary directory), commits rows one by one and halts
 * at once, as a killed process would; the rows are all there when the database is opened again. H2 has no redo log:
 * without {@code WRITE_DELAY=0} it writes commits to its file up to 500 ms later, and this test finds none of them.
 */
class H2DurabilityTest {

    private static final int ROWS = 200;
    private static final Pattern DEFAULT_URL = Pattern.compile("\\$\\{STRATOS_DB_URL:(jdbc:h2:[^}]+)}");

    @TempDir
    Path dir;

    @Test
    void rowsCommittedJustBeforeAKillAreThereAfterARestart() throws Exception {
        String url = defaultUrl().replace("./data/", dir.toAbsolutePath() + "/");

        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Writer.class.getName(),
                        url)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("writer.log").toFile())
                .start();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).as("the writer ended").isTrue();
        assertThat(Files.readString(dir.resolve("writer.log"))).contains("committed " + ROWS);

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet count = connection
                        .createStatement()
                        .executeQuery("select count(*) from information_schema.tables where table_name = 'T'")) {
            count.next();
            // the lost commits take the table with them
            int rows = count.getInt(1) == 0 ? 0 : rows(connection);
            assertThat(rows)
                    .as("rows committed before the halt, found after it")
                    .isEqualTo(ROWS);
        }
    }

    private static int rows(Connection connection) throws SQLException {
        try (ResultSet count = connection.createStatement().executeQuery("select count(*) from t")) {
            count.next();
            return count.getInt(1);
        }
    }

    private static String defaultUrl() throws IOException {
        String yaml = Files.readString(Path.of("src/main/resources/application.yaml"), StandardCharsets.UTF_8);
        Matcher matcher = DEFAULT_URL.matcher(yaml);
        assertThat(matcher.find()).as("application.yaml has a default H2 URL").isTrue();
        return matcher.group(1);
    }

    /** Commits {@value #ROWS} rows, one transaction each, says so, and halts without closing anything. */
    public static final class Writer {

        public static void main(String[] args) throws SQLException {
            Connection connection = DriverManager.getConnection(args[0], "sa", "");
            connection.createStatement().execute("create table t (i int)");
            try (PreparedStatement insert = connection.prepareStatement("insert into t values (?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setInt(1, i);
                    insert.executeUpdate();
                }
            }
            System.out.println("committed " + ROWS + " " + List.of(args));
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
