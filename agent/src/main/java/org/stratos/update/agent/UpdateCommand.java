package org.stratos.update.agent;

import java.time.Duration;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/** Brings the member to the command's version: a Puppet run on a VM, a pause in a simulation. */
public interface UpdateCommand {

    /**
     * Applies {@code command.version()} and returns how it went; never returns later than {@code timeout} plus a
     * short grace period for stopping. Interrupted means the agent is stopping: stop the work and throw.
     */
    CommandResult run(SoftwareUpdateEvent command, Duration timeout) throws InterruptedException;
}
