package org.stratos.update.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.stereotype.Component;

/**
 * Checks a user name and password against Camunda's identity service and finds the user's groups. A successful check
 * is remembered for {@link SecurityProperties#credentialCache()}, keyed by a salted hash of name and password (the
 * password itself is never kept); failures are never remembered.
 */
@Component
class CamundaCredentials {

    static final int MAX_CACHED = 10_000;

    private final IdentityService identity;
    private final Clock clock;
    private final Duration ttl;
    private final byte[] salt = new byte[16];
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    CamundaCredentials(IdentityService identity, Clock clock, SecurityProperties properties) {
        this.identity = identity;
        this.clock = clock;
        this.ttl = properties.credentialCache();
        new SecureRandom().nextBytes(salt);
    }

    /** The caller, or empty when the user is unknown, locked or the password is wrong. */
    Optional<Caller> authenticate(String userId, String password) {
        if (userId == null || userId.isBlank() || password == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = key(userId, password);
        Remembered hit = remembered.get(key);
        if (hit != null && now.isBefore(hit.until())) {
            return Optional.of(hit.caller());
        }
        if (!identity.checkPassword(userId, password)) {
            remembered.remove(key);
            return Optional.empty();
        }
        Caller caller = Caller.of(
                userId,
                identity.createGroupQuery().groupMember(userId).list().stream()
                        .map(Group::getId)
                        .toList());
        remember(key, caller, now);
        return Optional.of(caller);
    }

    private void remember(String key, Caller caller, Instant now) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        if (remembered.size() >= MAX_CACHED) {
            remembered.values().removeIf(r -> !now.isBefore(r.until()));
            if (remembered.size() >= MAX_CACHED) {
                remembered.clear();
            }
        }
        remembered.put(key, new Remembered(caller, now.plus(ttl)));
    }

    private String key(String userId, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(userId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private record Remembered(Caller caller, Instant until) {}
}
