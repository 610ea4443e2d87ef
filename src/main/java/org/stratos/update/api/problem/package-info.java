/**
 * Error answers of the HTTP API as {@code application/problem+json} (RFC 9457): the {@link
 * org.stratos.update.api.problem.Problem} body, and one JAX-RS exception mapper per kind of failure (bad input
 * naming the field, malformed JSON naming the JSON path, not found, conflict, HTTP-level refusals, and unexpected
 * faults, which are logged under an error id that the body repeats and nothing else of them leaks).
 */
package org.stratos.update.api.problem;
