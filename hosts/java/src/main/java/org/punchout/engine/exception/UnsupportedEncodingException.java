package org.punchout.engine.exception;

/** The engine refused its input with {@code unsupported-encoding}. */
public final class UnsupportedEncodingException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public UnsupportedEncodingException(String message, Location location) {
        super("unsupported-encoding", message, location);
    }
}
