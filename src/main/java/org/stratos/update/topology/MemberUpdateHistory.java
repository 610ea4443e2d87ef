package org.stratos.update.topology;

import java.util.List;

/**
 * What the updates know of a member that its topology record does not, for a Suspended member whose agent comes back:
 * whether an update is running a command on it now, and which versions its latest update moved it between.
 * Implemented by the update capability.
 */
public interface MemberUpdateHistory {

    /** Whether an update that is not over is running a command on the member now. */
    boolean heldByRunningUpdate(String memberId);

    /** The versions the member's latest update moved it from and to (empty when no update touched it). */
    List<String> lastUpdateVersions(String memberId);
}
