package org.stratos.update.update;

/** A business outcome of a member step: the member failed (agent failure, unhealthy). The flows model it. */
public class MemberFailure extends RuntimeException {

    private final String code;

    public MemberFailure(String code, String reason) {
        super(reason);
        this.code = code;
    }

    /** The BPMN error code the flow catches. */
    public String code() {
        return code;
    }
}
