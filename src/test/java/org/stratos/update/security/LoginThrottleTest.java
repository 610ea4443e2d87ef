package org.stratos.update.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    CamundaCredentialsTest.MutableClock clock = new CamundaCredentialsTest.MutableClock();
    LoginThrottle throttle = new LoginThrottle(
            new LoginThrottleProperties(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), 1000),
            clock);

    @Test
    void fiveFailuresAreFreeThenTheAddressWaitsLongerAfterEachFailure() {
        fail("203.0.113.7", 5);
        assertThat(throttle.waitFor("203.0.113.7")).isEmpty();

        throttle.failed("203.0.113.7");
        assertThat(throttle.waitFor("203.0.113.7")).hasValue(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("203.0.113.7")).isEmpty();

        throttle.failed("203.0.113.7");
        assertThat(throttle.waitFor("203.0.113.7")).hasValue(Duration.ofSeconds(2));
        assertThat(throttle.delayAfter(8)).isEqualTo(Duration.ofSeconds(4));
        assertThat(throttle.delayAfter(14)).isEqualTo(Duration.ofSeconds(256));
        assertThat(throttle.delayAfter(15)).isEqualTo(Duration.ofMinutes(5));
        assertThat(throttle.delayAfter(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anotherAddressIsNotSlowedNorIsAnyUserLocked() {
        fail("203.0.113.7", 20);

        assertThat(throttle.waitFor("203.0.113.7")).isPresent();
        assertThat(throttle.waitFor("198.51.100.1")).isEmpty();
    }

    @Test
    void aSuccessForgetsTheAddressesFailures() {
        fail("203.0.113.7", 5);
        throttle.succeeded("203.0.113.7");
        fail("203.0.113.7", 5);

        assertThat(throttle.waitFor("203.0.113.7")).isEmpty();
    }

    @Test
    void failuresAreForgottenAnHourAfterTheLastWait() {
        fail("203.0.113.7", 6);
        clock.advance(Duration.ofSeconds(1).plus(Duration.ofHours(1)));
        throttle.failed("203.0.113.7");

        assertThat(throttle.waitFor("203.0.113.7")).isEmpty();
    }

    @Test
    void anIpv6HostCountsByItsNetwork() {
        fail("2001:db8:0:1::1", 3);
        fail("2001:db8:0:1:ffff:1:2:3", 3);

        assertThat(throttle.waitFor("2001:db8:0:1::99")).isPresent();
        assertThat(throttle.waitFor("2001:db8:0:2::1")).isEmpty();
        assertThat(LoginThrottle.keyOf("2001:db8:0:1:ffff:1:2:3")).isEqualTo("2001:db8:0:1::/64");
        assertThat(LoginThrottle.keyOf("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(LoginThrottle.keyOf("not-an:address.example")).isEqualTo("not-an:address.example");
    }

    @Test
    void theAddressesTrackedAreBounded() {
        LoginThrottle small = new LoginThrottle(
                new LoginThrottleProperties(0, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), 3),
                clock);
        for (int i = 0; i < 10; i++) {
            small.failed("203.0.113." + i);
        }

        assertThat(small.tracked()).isEqualTo(3);
        assertThat(small.waitFor("203.0.113.2")).isPresent();
        assertThat(small.waitFor("203.0.113.9")).isEmpty();

        clock.advance(Duration.ofHours(2));
        small.failed("203.0.113.9");
        assertThat(small.waitFor("203.0.113.9")).isPresent();
        assertThat(small.tracked()).isEqualTo(1);
    }

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(address);
        }
    }
}
