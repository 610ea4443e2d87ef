package org.stratos.update.topology;

/** What an agent tells about its member when it starts or becomes ready. */
public record MemberJoin(String applicationId, String clusterId, String memberId, String version, String address) {}
