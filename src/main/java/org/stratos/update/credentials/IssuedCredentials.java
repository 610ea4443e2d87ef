package org.stratos.update.credentials;

import java.util.List;

/**
 * Broker credentials as issued: the password is shown this once and kept nowhere but as a hash.
 *
 * @param user      the broker user name
 * @param password  the password, 43 characters of URL-safe Base64 (256 random bits)
 * @param kind      one member's agent, or a fleet
 * @param clusterId the cluster of the members
 * @param memberIds the members this user speaks for
 */
public record IssuedCredentials(
        String user, String password, PrincipalKind kind, String clusterId, List<String> memberIds) {

    @Override
    public String toString() {
        return "IssuedCredentials[user=" + user + ", kind=" + kind + ", members=" + memberIds.size() + "]";
    }
}
