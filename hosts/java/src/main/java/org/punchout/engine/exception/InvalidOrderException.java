package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-order}. */
public final class InvalidOrderException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidOrderException(String message, Location location) {
        super("invalid-order", message, location);
    }
}
