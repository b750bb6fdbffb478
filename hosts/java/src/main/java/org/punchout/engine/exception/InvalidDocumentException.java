package org.punchout.engine.exception;

/** The engine refused its input with {@code invalid-document}. */
public final class InvalidDocumentException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public InvalidDocumentException(String message, Location location) {
        super("invalid-document", message, location);
    }
}
