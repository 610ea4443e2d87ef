package org.stratos.update.topology;

/** In-process notice that an application was registered (listen after commit to act on it). */
public record ApplicationRegistered(String applicationId) {}
