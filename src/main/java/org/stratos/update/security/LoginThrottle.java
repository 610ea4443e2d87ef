package org.stratos.update.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing per client address, in front of every password check (the {@code /api}, {@code /actuator}
 * and {@code /engine-rest} Basic logins and the webapps' login form). An address may fail
 * {@link LoginThrottleProperties#freeFailures()} times in a row; after each further failure it must wait, 1 s, 2 s,
 * 4 s, ... up to {@link LoginThrottleProperties#maxDelay()}, and until then its logins are refused without checking
 * the password. A success from the address forgets its failures. Nothing is locked per user: a stranger's wrong
 * passwords slow the stranger's address, never the user's own logins from elsewhere. IPv6 addresses count by their
 * /64 network, since one host usually holds a whole /64.
 */
@Component
class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** An IPv6 literal (never a name: no look-up is made for an address a forwarding header may have set). */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f:.]*");

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final AtomicBoolean fullReported = new AtomicBoolean();

    LoginThrottle(LoginThrottleProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** How long the address must still wait before its next login is checked; empty when it may log in now. */
    Optional<Duration> waitFor(String address) {
        Failures f = failures.get(keyOf(address));
        if (f == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), f.blockedUntil());
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    void failed(String address) {
        Instant now = clock.instant();
        String key = keyOf(address);
        if (!failures.containsKey(key) && failures.size() >= settings.maxTracked() && !makeRoom(now)) {
            if (fullReported.compareAndSet(false, true)) {
                log.warn(
                        "Login throttle: {} addresses with failed logins are tracked already; failures from further "
                                + "addresses are not slowed until some are forgotten",
                        failures.size());
            }
            return;
        }
        Failures after = failures.compute(key, (k, before) -> {
            int count = before == null || before.forgotten(now, settings.forgetAfter()) ? 1 : before.count() + 1;
            return new Failures(count, now, now.plus(delayAfter(count)));
        });
        if (after.count() == settings.freeFailures() + 1) {
            log.warn(
                    "Login throttle: {} failed logins in a row from {}; its logins wait from now on",
                    after.count(),
                    key);
        }
    }

    void succeeded(String address) {
        failures.remove(keyOf(address));
    }

    /** The wait after the {@code count}-th failure in a row. */
    Duration delayAfter(int count) {
        int past = count - settings.freeFailures();
        if (past <= 0) {
            return Duration.ZERO;
        }
        Duration delay = settings.firstDelay().multipliedBy(1L << Math.min(past - 1, 30));
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    int tracked() {
        return failures.size();
    }

    private boolean makeRoom(Instant now) {
        failures.values().removeIf(f -> f.forgotten(now, settings.forgetAfter()));
        boolean room = failures.size() < settings.maxTracked();
        if (room) {
            fullReported.set(false);
        }
        return room;
    }

    /** The address, or for IPv6 its /64 network ({@code 2001:db8:0:1::/64}). */
    static String keyOf(String address) {
        if (address == null || !IPV6.matcher(address).matches()) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                        .append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException notAnAddress) {
            return address;
        }
    }

    /** Failures in a row from one address: how many, the last, and until when the address waits. */
    private record Failures(int count, Instant last, Instant blockedUntil) {

        boolean forgotten(Instant now, Duration forgetAfter) {
            Instant from = blockedUntil.isAfter(last) ? blockedUntil : last;
            return !now.isBefore(from.plus(forgetAfter));
        }
    }
}
