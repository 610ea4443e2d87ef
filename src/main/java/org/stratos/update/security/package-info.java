/**
 * Who may call what. Users and groups are Camunda's identity (managed in Camunda Admin): members of
 * {@code stratos-operators} (and of {@code camunda-admin}) may change things, members of {@code stratos-viewers} may
 * read. {@code /api} and {@code /actuator} (but health) take HTTP Basic checked against the identity service, with the
 * groups as roles; {@code /api} also takes the webapps' login of the browser (the Cockpit plugin, the Tasklist form),
 * state-changing calls with the session's CSRF token; {@code /engine-rest} takes HTTP Basic through Camunda's own
 * filter and the engine's authorizations, which are granted to the two groups at start-up; the webapps keep Camunda's
 * login. The manager refuses to start
 * outside the default run while the admin password is the documented demo password.
 */
package org.stratos.update.security;
