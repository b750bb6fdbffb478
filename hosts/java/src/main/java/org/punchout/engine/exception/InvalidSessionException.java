package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-session}. */
public final class InvalidSessionException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidSessionException(String message, Location location) {
        super("invalid-session", message, location);
    }
}
