package org.punchout.engine.exception;

/** The engine refused its input with {@code unknown-buyer}. */
public final class UnknownBuyerException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public UnknownBuyerException(String message, Location location) {
        super("unknown-buyer", message, location);
    }
}
