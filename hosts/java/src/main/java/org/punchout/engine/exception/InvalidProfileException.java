package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-profile}. */
public final class InvalidProfileException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidProfileException(String message, Location location) {
        super("invalid-profile", message, location);
    }
}
