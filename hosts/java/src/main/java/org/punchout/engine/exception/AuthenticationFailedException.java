package org.punchout.engine.exception;

/** The engine refused its input with {@code authentication-failed}. */
public final class AuthenticationFailedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message, Location location) {
        super("authentication-failed", message, location);
    }
}
