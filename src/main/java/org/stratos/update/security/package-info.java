/**
 * Who may call what (docs/security.md). Users and groups are Camunda's identity (managed in Camunda Admin): members of
 * {@code stratos-operators} (and of {@code camunda-admin}) may change things, members of {@code stratos-viewers} may
 * read. {@code /api} and {@code /actuator} (but health) take HTTP Basic checked against the identity service, with the
 * groups as roles; {@code /api} also takes the webapps' login of the browser (the Cockpit plugin, the Tasklist form),
 * state-changing calls with the session's CSRF token; {@code /engine-rest} takes HTTP Basic on every path through
 * Camunda's own filter and the engine's authorizations, which are set for the two groups at start-up (least
 * privilege: operators steer the product's flows but cannot delete, deploy or rewrite them); the webapps keep
 * Camunda's login. Every password check sits behind one throttle per client address; nothing is locked per user. The
 * manager refuses to start outside the default run while the admin password is the documented demo password, and
 * listens on the loopback address only while it uses it.
 */
package org.stratos.update.security;
