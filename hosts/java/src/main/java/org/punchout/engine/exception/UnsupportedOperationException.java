package org.punchout.engine.exception;

/** The engine refused its input with {@code unsupported-operation}. */
public final class UnsupportedOperationException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public UnsupportedOperationException(String message, Location location) {
        super("unsupported-operation", message, location);
    }
}
