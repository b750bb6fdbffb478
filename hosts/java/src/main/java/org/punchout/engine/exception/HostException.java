package org.punchout.engine.exception;

/** The host could not run the call: the engine is not started or closed, or was used wrongly. */
public final class HostException extends PunchoutException {
    private static final long serialVersionUID = 1L;

    public HostException(String message) {
        super(message);
    }
}
