package org.punchout.engine.exception;

/** Every exception the engine throws. */
public abstract class PunchoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected PunchoutException(String message) {
        super(message);
    }
}
