package org.punchout.engine.exception;

import java.util.List;

/**
 * The engine refused its input: {@link #code()} says why, {@link #location()} where. One
 * subclass per error code; credentials are never in the message.
 */
public abstract class RejectedException extends PunchoutException {
    private static final long serialVersionUID = 1L;

    /** The engine's error codes, in the WIT's order. */
    public static final List<String> CODES = List.of(
            "malformed-xml", "forbidden-xml", "unsupported-encoding", "limit-exceeded", "invalid-document", "invalid-value", "unknown-buyer", "authentication-failed", "return-url-not-allowed", "unsupported-operation", "invalid-profile", "invalid-cart", "invalid-session", "invalid-order");

    private final String code;
    private final transient Location location;

    protected RejectedException(String code, String message, Location location) {
        super(message);
        this.code = code;
        this.location = location == null ? Location.NONE : location;
    }

    /** The engine's error code, such as {@code invalid-cart}. */
    public String code() {
        return code;
    }

    public Location location() {
        return location;
    }

    /** The exception of the code's class; {@code null} for a code this library does not know. */
    public static RejectedException of(String code, String message, Location location) {
        return switch (code) {
            case "malformed-xml" -> new MalformedXmlException(message, location);
            case "forbidden-xml" -> new ForbiddenXmlException(message, location);
            case "unsupported-encoding" -> new UnsupportedEncodingException(message, location);
            case "limit-exceeded" -> new LimitExceededException(message, location);
            case "invalid-document" -> new InvalidDocumentException(message, location);
            case "invalid-value" -> new InvalidValueException(message, location);
            case "unknown-buyer" -> new UnknownBuyerException(message, location);
            case "authentication-failed" -> new AuthenticationFailedException(message, location);
            case "return-url-not-allowed" -> new ReturnUrlNotAllowedException(message, location);
            case "unsupported-operation" -> new UnsupportedOperationException(message, location);
            case "invalid-profile" -> new InvalidProfileException(message, location);
            case "invalid-cart" -> new InvalidCartException(message, location);
            case "invalid-session" -> new InvalidSessionException(message, location);
            case "invalid-order" -> new InvalidOrderException(message, location);
            default -> null;
        };
    }
}
