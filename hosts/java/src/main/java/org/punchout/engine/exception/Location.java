package org.punchout.engine.exception;

/**
 * Where the input was wrong: line and column in a document, its element path, a form field, or
 * a JSON pointer into a profile, cart or order. Absent parts are {@code null}.
 */
public record Location(Integer line, Integer column, String path, String field, String pointer) {
    public static final Location NONE = new Location(null, null, null, null, null);
}
