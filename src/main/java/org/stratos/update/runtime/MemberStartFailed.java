package org.stratos.update.runtime;

/** In-process notice from a runtime: a member it started will not become ready ({@code reason} says why). */
public record MemberStartFailed(String clusterId, String memberId, String reason) {}
