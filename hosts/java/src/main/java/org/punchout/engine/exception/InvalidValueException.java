package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-value}. */
public final class InvalidValueException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message, Location location) {
        super("invalid-value", message, location);
    }
}
