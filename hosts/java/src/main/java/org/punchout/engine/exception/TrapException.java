package org.punchout.engine.exception;

/**
 * The guest stopped (the memory cap, the deadline, or a bug). Its instance was discarded: the
 * next call runs on a fresh one.
 */
public final class TrapException extends PunchoutException {
    private static final long serialVersionUID = 1L;

    public TrapException(String message) {
        super(message);
    }
}
