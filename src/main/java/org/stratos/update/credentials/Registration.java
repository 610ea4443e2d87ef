package org.stratos.update.credentials;

/** A registered member: the cluster it belongs to and the principal that may speak for it. */
public record Registration(String memberId, String clusterId, String principal) {}
