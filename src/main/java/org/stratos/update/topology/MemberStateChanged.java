package org.stratos.update.topology;

/**
 * In-process notice of a member's state change, published inside the changing transaction (listen with
 * {@code @TransactionalEventListener} to act after it commits). The update capability uses it to learn that a
 * replacement member became Active.
 */
public record MemberStateChanged(
        String clusterId, String memberId, MemberState from, MemberState to, String version, String updateId) {}
