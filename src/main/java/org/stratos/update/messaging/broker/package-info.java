/**
 * Who may do what on the broker, as ActiveMQ broker plugins: authentication of every connection
 * ({@link org.stratos.update.messaging.broker.PrincipalAuthenticationPlugin}, the embedded broker) and the Stratos
 * authorization rules ({@link org.stratos.update.messaging.broker.StratosAuthorizationPlugin}: agents publish only
 * status events and read only the commands of members they speak for; only the manager does the rest). Uses nothing but
 * the JDK and ActiveMQ's broker API, so the same plugin can be installed in an external ActiveMQ Classic broker (see
 * {@code docs/security.md}).
 */
package org.stratos.update.messaging.broker;
