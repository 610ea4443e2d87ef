/**
 * Error answers of every HTTP door (the API, the security filters in front of it and the engine's REST API, the
 * container's own error pages) as {@code application/problem+json} (RFC 9457): the {@link
 * org.stratos.update.problem.Problem} body, and one JAX-RS exception mapper per kind of failure (bad input
 * naming the field, malformed JSON naming the JSON path, not found, conflict, HTTP-level refusals, and unexpected
 * faults, which are logged under an error id that the body repeats and nothing else of them leaks). It depends on
 * nothing of the project but {@code common}: the API and the security filters both write their errors with it.
 */
package org.stratos.update.problem;
