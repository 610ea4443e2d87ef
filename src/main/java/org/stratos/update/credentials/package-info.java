/**
 * Who may speak for which member: the broker credentials the manager issues to agents (one member's agent, or a fleet
 * process hosting many members), the members registered to each, and their rotation and revocation. Only salted
 * PBKDF2 hashes of passwords are stored. The broker authenticates against this record (embedded broker), and the
 * manager accepts a status event only from the principal its member is registered to. See {@code docs/security.md}.
 */
package org.stratos.update.credentials;
