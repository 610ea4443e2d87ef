package org.stratos.update.topology;

/**
 * A join report would rewrite what the manager recorded of an Active member (its version or address). Nothing is
 * changed: only an update changes an Active member's version, and its address is the one it joined with.
 */
public class MemberRecordConflictException extends RuntimeException {

    MemberRecordConflictException(Member member, MemberJoin report) {
        super("member '" + member.id() + "' is Active on version " + member.version()
                + (member.address() == null ? "" : " at " + member.address()) + "; a report of version "
                + report.version() + (report.address() == null ? "" : " at " + report.address())
                + " does not change that (only an update does)");
    }
}
