package org.punchout.engine.exception;

/** The engine refused its input with {@code forbidden-xml}. */
public final class ForbiddenXmlException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public ForbiddenXmlException(String message, Location location) {
        super("forbidden-xml", message, location);
    }
}
