package org.punchout.engine;

/** A returned cart: the {@code PunchOutOrderMessage} and the page that posts it. */
public record CartReturn(String message, String formHtml) {}
