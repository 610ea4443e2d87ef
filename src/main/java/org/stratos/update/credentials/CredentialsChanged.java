package org.stratos.update.credentials;

/**
 * The password of {@code principal} was replaced or revoked (told after the transaction commits): connections that
 * logged in with the old one are to be closed.
 */
public record CredentialsChanged(String principal, boolean revoked) {}
