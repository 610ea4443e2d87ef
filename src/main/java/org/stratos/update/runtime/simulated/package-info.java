/**
 * The {@code simulated} runtime: every member of a simulated cluster is an in-process instance of the real member
 * agent ({@link org.stratos.update.agent.MemberAgent}) that talks to the broker like any other agent, with a
 * simulated update command (configurable duration and failure rate) instead of Puppet. Thousands of them share a few
 * JMS connections. Used by the demo application and the benchmark; never by production clusters.
 */
package org.stratos.update.runtime.simulated;
