package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

class SimulatedUpdateCommandTest {

    private static final SoftwareUpdateEvent COMMAND =
            new SoftwareUpdateEvent("u-1", "shop", "php", "c", "m", "2.0", "1.0", false, null, null, null, null, false);

    @Test
    void succeedsLikeAPuppetRunThatAppliedChanges() throws Exception {
        CommandResult result =
                new SimulatedUpdateCommand(Duration.ZERO, 0.0, new Random(1)).run(COMMAND, Duration.ofSeconds(1));

        assertThat(result.success()).isTrue();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outputTail()).contains("2.0");
    }

    @Test
    void failsLikeAPuppetRunWithFailures() throws Exception {
        CommandResult result =
                new SimulatedUpdateCommand(Duration.ZERO, 1.0, new Random(1)).run(COMMAND, Duration.ofSeconds(1));

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void timesOutWhenItWouldRunLongerThanAllowed() throws Exception {
        CommandResult result = new SimulatedUpdateCommand(Duration.ofMinutes(5), 0.0, new Random(1))
                .run(COMMAND, Duration.ofMillis(20));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isNull();
    }
}
