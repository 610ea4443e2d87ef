/**
 * The few types every capability shares: the domain exceptions that the API turns into problem responses
 * (bad input naming the field, not found, conflict), and the port events are published through
 * ({@link org.stratos.update.common.EventPublisher}, implemented by messaging). Nothing here knows about HTTP, JMS or
 * the engine.
 */
package org.stratos.update.common;
