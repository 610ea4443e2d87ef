/**
 * Applications, their clusters and members: states, versions, and the transition tables that guard every change
 * (Stratos 4.1 plus {@code Updating} for members and {@code Patching} for clusters). Persisted in the engine's
 * database; every change is checked, written with a compare-and-set on the old state, and announced as a
 * {@code topology.*} event after the transaction commits.
 */
package org.stratos.update.topology;
