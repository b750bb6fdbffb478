package org.punchout.engine.exception;

/** The engine refused its input with {@code limit-exceeded}. */
public final class LimitExceededException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String message, Location location) {
        super("limit-exceeded", message, location);
    }
}
