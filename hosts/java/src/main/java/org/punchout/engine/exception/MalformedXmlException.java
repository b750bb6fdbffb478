package org.punchout.engine.exception;

/** The engine refused its input with {@code malformed-xml}. */
public final class MalformedXmlException extends RejectedException {
    private static final long serialVersionUID = 1L;

    public MalformedXmlException(String message, Location location) {
        super("malformed-xml", message, location);
    }
}
