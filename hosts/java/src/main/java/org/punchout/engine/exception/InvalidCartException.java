package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-cart}. */
public final class InvalidCartException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidCartException(String message, Location location) {
        super("invalid-cart", message, location);
    }
}
