package org.stratos.update.security;

/** Start-up stops: the admin password is the demo one outside the default run. */
public class DemoPasswordRefusedException extends IllegalStateException {

    DemoPasswordRefusedException(String message) {
        super(message);
    }
}
