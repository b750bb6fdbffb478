package org.punchout.engine.exception;

/** The engine refused its input with {@code return-url-not-allowed}. */
public final class ReturnUrlNotAllowedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public ReturnUrlNotAllowedException(String message, Location location) {
        super("return-url-not-allowed", message, location);
    }
}
