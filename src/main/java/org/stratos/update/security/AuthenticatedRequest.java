package org.stratos.update.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request as the rest of the chain sees it once the caller is known: Jersey's SecurityContext reads it. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final Caller caller;
    private final String authType;

    AuthenticatedRequest(HttpServletRequest request, Caller caller) {
        this(request, caller, HttpServletRequest.BASIC_AUTH);
    }

    AuthenticatedRequest(HttpServletRequest request, Caller caller, String authType) {
        super(request);
        this.caller = caller;
        this.authType = authType;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public String getRemoteUser() {
        return caller.userId();
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller.roles().contains(role);
    }

    @Override
    public String getAuthType() {
        return authType;
    }
}
