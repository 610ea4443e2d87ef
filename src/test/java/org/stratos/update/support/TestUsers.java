package org.stratos.update.support;

import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Fresh Camunda users for tests, each in the groups asked for (none: a user who may log in but do nothing). */
public final class TestUsers {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final IdentityService identity;

    public TestUsers(IdentityService identity) {
        this.identity = identity;
    }

    public Credentials create(String prefix, String... groupIds) {
        // Camunda user ids are letters and digits only
        String id = prefix + NEXT.incrementAndGet() + Long.toString(System.nanoTime() % 46656, 36);
        String password = "pw-" + NEXT.incrementAndGet() + "-" + System.nanoTime();
        User user = identity.newUser(id);
        user.setFirstName(prefix);
        user.setLastName("Test");
        user.setPassword(password);
        identity.saveUser(user);
        for (String group : groupIds) {
            identity.createMembership(id, group);
        }
        return new Credentials(id, password);
    }

    public void delete(Credentials user) {
        identity.deleteUser(user.id());
    }

    public record Credentials(String id, String password) {}
}
