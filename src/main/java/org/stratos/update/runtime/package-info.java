/**
 * How members get new software. {@code puppet}: the agent on each VM runs Puppet when the manager's command reaches
 * it. {@code kubernetes}: pods are replaced by pods on the new image. {@code simulated}: in-process members for the
 * demo and the benchmark, running the real agent code with a simulated update command.
 */
package org.stratos.update.runtime;
