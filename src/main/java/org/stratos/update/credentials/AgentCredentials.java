package org.stratos.update.credentials;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.common.ConflictException;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.RuntimeKind;
import org.stratos.update.topology.TopologyService;

/**
 * Issues, rotates and revokes the broker credentials of agents, and answers who speaks for a member. A member is
 * registered before its agent first reports: by an operator (a VM member, {@link #register}) or by the runtime that
 * starts it (the simulated fleet, {@link #registerFleetMembers}). Registrations never change owner, so they are cached;
 * a password check is cached too, against the stored hash it was made with, so a reconnecting fleet does not pay the
 * slow hash again while a rotation on another node is still seen at once.
 */
@Service
@Transactional
public class AgentCredentials {

    /** Members registered in one request, each with its own password (each costs a slow hash). */
    public static final int MAX_SEPARATE = 100;
    /** Members registered in one request to one fleet principal. */
    public static final int MAX_SHARED = 100_000;

    private static final int CACHED_REGISTRATIONS = 200_000;
    private static final Logger log = LoggerFactory.getLogger(AgentCredentials.class);

    private final CredentialRepository repository;
    private final TopologyService topology;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    AgentCredentials(
            CredentialRepository repository, TopologyService topology, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.topology = topology;
        this.events = events;
        this.clock = clock;
    }

    private record Verified(String storedHash, byte[] digest) {}

    /**
     * Registers {@code count} new members of a {@code puppet} cluster: each with a broker user of its own (its member
     * id), or, {@code shared}, all of them spoken for by one fleet user (a process that hosts them all).
     */
    public List<IssuedCredentials> register(
            String applicationId, String alias, Integer count, boolean shared, String by) {
        int n = count == null ? 1 : count;
        int max = shared ? MAX_SHARED : MAX_SEPARATE;
        if (n < 1 || n > max) {
            throw new InvalidInputException(
                    "count",
                    "must be between 1 and " + max
                            + (shared ? "" : " (up to " + MAX_SHARED + " with \"shared\": true)"));
        }
        Cluster cluster = vmCluster(applicationId, alias);
        List<String> memberIds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            memberIds.add(cluster.id() + UUID.randomUUID());
        }
        Instant now = clock.instant();
        List<IssuedCredentials> issued = new ArrayList<>();
        if (shared) {
            String user = "fleet-" + UUID.randomUUID();
            String password = PasswordHashes.newPassword();
            repository.insertPrincipal(user, PrincipalKind.FLEET, PasswordHashes.hash(password), now, by);
            repository.insertRegistrations(memberIds, cluster.id(), user, now);
            issued.add(new IssuedCredentials(user, password, PrincipalKind.FLEET, cluster.id(), memberIds));
        } else {
            for (String memberId : memberIds) {
                issued.add(newMemberPrincipal(memberId, cluster.id(), now, by));
            }
        }
        log.info(
                "{} registered {} member(s) of {} ({})",
                by,
                n,
                cluster.id(),
                shared ? "one fleet user " + issued.get(0).user() : "a user each");
        return issued;
    }

    /**
     * Creates the fleet principal {@code principal} of a runtime, or gives it a new password: {@code given}, or one
     * made up when that is null. Answers the password. Members registered to it stay so. In a transaction of its
     * own: runtimes call it after other commits.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public String issueFleetPassword(String principal, String given, String by) {
        String password = given == null || given.isBlank() ? PasswordHashes.newPassword() : given;
        Instant now = clock.instant();
        Optional<CredentialRepository.PrincipalRow> existing = repository.principal(principal);
        if (existing.isEmpty()) {
            repository.insertPrincipal(principal, PrincipalKind.FLEET, PasswordHashes.hash(password), now, by);
        } else if (existing.get().kind() != PrincipalKind.FLEET) {
            throw new ConflictException("broker user '" + principal + "' is not a fleet");
        } else {
            repository.replacePassword(principal, PasswordHashes.hash(password), now);
            events.publishEvent(new CredentialsChanged(principal, false));
        }
        return password;
    }

    /**
     * Registers members a runtime starts to its fleet principal; those already registered to it stay as they are. In a
     * transaction of its own: runtimes call it after other commits.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void registerFleetMembers(String principal, String clusterId, Collection<String> memberIds) {
        List<String> fresh = new ArrayList<>();
        for (String memberId : memberIds) {
            Optional<Registration> known = registration(memberId);
            if (known.isEmpty()) {
                fresh.add(memberId);
            } else if (!known.get().principal().equals(principal)
                    || !known.get().clusterId().equals(clusterId)) {
                throw new ConflictException("member '" + memberId + "' is registered to another principal or cluster");
            }
        }
        if (!fresh.isEmpty()) {
            repository.insertRegistrations(fresh, clusterId, principal, clock.instant());
        }
    }

    /**
     * New credentials for the principal that speaks for {@code memberId}: the old password stops working and its
     * connections are closed. A member that joined before members were registered (no registration, a {@code puppet}
     * cluster) gets its first credentials here.
     */
    public IssuedCredentials rotate(String memberId, String by) {
        Optional<Registration> known = registration(memberId);
        if (known.isEmpty()) {
            Member member = topology.memberIfPresent(memberId)
                    .orElseThrow(() -> new NotFoundException("no member '" + memberId + "'"));
            Cluster cluster = topology.cluster(member.clusterId());
            requireVm(cluster);
            log.info("{} issued credentials for member {}, which joined before it was registered", by, memberId);
            return newMemberPrincipal(memberId, cluster.id(), clock.instant(), by);
        }
        Registration registration = known.get();
        CredentialRepository.PrincipalRow principal =
                repository.principal(registration.principal()).orElseThrow();
        String password = PasswordHashes.newPassword();
        repository.replacePassword(principal.name(), PasswordHashes.hash(password), clock.instant());
        events.publishEvent(new CredentialsChanged(principal.name(), false));
        log.info("{} rotated the credentials of broker user {} (member {})", by, principal.name(), memberId);
        return new IssuedCredentials(
                principal.name(),
                password,
                principal.kind(),
                registration.clusterId(),
                principal.kind() == PrincipalKind.MEMBER ? List.of(memberId) : repository.memberIds(principal.name()));
    }

    /**
     * Revokes the credentials of the principal that speaks for {@code memberId} (for a fleet: of every member it
     * hosts): it can no longer log in, its connections are closed. {@link #rotate} issues new ones.
     */
    public void revoke(String memberId, String by) {
        Registration registration = registration(memberId)
                .orElseThrow(() -> new NotFoundException("member '" + memberId + "' has no credentials"));
        repository.revoke(registration.principal(), clock.instant());
        events.publishEvent(new CredentialsChanged(registration.principal(), true));
        log.info("{} revoked the credentials of broker user {} (member {})", by, registration.principal(), memberId);
    }

    @Transactional(readOnly = true)
    public CredentialsView describe(String memberId) {
        Registration registration = registration(memberId)
                .orElseThrow(() -> new NotFoundException("member '" + memberId + "' has no credentials"));
        CredentialRepository.PrincipalRow p =
                repository.principal(registration.principal()).orElseThrow();
        return new CredentialsView(
                memberId,
                registration.clusterId(),
                p.name(),
                p.kind(),
                repository.countRegistrations(p.name()),
                p.issuedAt(),
                p.issuedBy(),
                p.rotatedAt(),
                p.revokedAt());
    }

    /** The kind of principal {@code user} is when {@code password} is its current one; empty otherwise. */
    @Transactional(readOnly = true)
    public Optional<PrincipalKind> authenticate(String user, String password) {
        CredentialRepository.PrincipalRow p = repository.principal(user).orElse(null);
        if (p == null || p.passwordHash() == null) {
            return Optional.empty();
        }
        byte[] digest = PasswordHashes.digest(password);
        Verified known = verified.get(user);
        if (known != null
                && known.storedHash().equals(p.passwordHash())
                && MessageDigest.isEqual(known.digest(), digest)) {
            return Optional.of(p.kind());
        }
        if (!PasswordHashes.matches(password, p.passwordHash())) {
            return Optional.empty();
        }
        verified.put(user, new Verified(p.passwordHash(), digest));
        return Optional.of(p.kind());
    }

    /** Who speaks for {@code memberId}, if it is registered. */
    @Transactional(readOnly = true)
    public Optional<Registration> registration(String memberId) {
        Registration cached = registrations.get(memberId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Registration> stored = repository.registration(memberId);
        stored.ifPresent(r -> {
            if (registrations.size() >= CACHED_REGISTRATIONS) {
                registrations.clear();
            }
            registrations.put(memberId, r);
        });
        return stored;
    }

    /** Whether {@code principal} may speak for {@code memberId}. */
    @Transactional(readOnly = true)
    public boolean speaksFor(String principal, String memberId) {
        return registration(memberId).map(r -> r.principal().equals(principal)).orElse(false);
    }

    private IssuedCredentials newMemberPrincipal(String memberId, String clusterId, Instant now, String by) {
        String password = PasswordHashes.newPassword();
        repository.insertPrincipal(memberId, PrincipalKind.MEMBER, PasswordHashes.hash(password), now, by);
        repository.insertRegistrations(List.of(memberId), clusterId, memberId, now);
        return new IssuedCredentials(memberId, password, PrincipalKind.MEMBER, clusterId, List.of(memberId));
    }

    private Cluster vmCluster(String applicationId, String alias) {
        if (!topology.applicationExists(applicationId)) {
            throw new NotFoundException("no application '" + applicationId + "'");
        }
        Cluster cluster = topology.clusters(applicationId).stream()
                .filter(c -> c.alias().equals(alias))
                .findFirst()
                .orElseThrow(() ->
                        new NotFoundException("no cluster '" + alias + "' in application '" + applicationId + "'"));
        requireVm(cluster);
        return cluster;
    }

    private static void requireVm(Cluster cluster) {
        if (cluster.runtime() != RuntimeKind.PUPPET) {
            throw new ConflictException("cluster '" + cluster.alias() + "' runs on "
                    + cluster.runtime().id() + ": its members are started by the manager, not registered for an agent");
        }
    }
}
