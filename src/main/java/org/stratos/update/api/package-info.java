/**
 * The manager's own HTTP API under {@code /api}: JAX-RS resources on a Jersey servlet of its own, beside Camunda's
 * {@code /engine-rest} (which is Spring Boot's one Jersey application). Resources are Spring beans, JSON is written
 * with Spring's {@code ObjectMapper} (nulls left out), errors are {@code application/problem+json}
 * ({@link org.stratos.update.problem}), read calls need the viewer or operator role and changing calls the
 * operator role ({@link org.stratos.update.security.StratosGroups}), and {@code /api/openapi.json} describes it all.
 */
package org.stratos.update.api;
