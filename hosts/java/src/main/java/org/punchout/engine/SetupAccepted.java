package org.punchout.engine;

/** An accepted {@code PunchOutSetupRequest}: the session to store and the cXML response. */
public record SetupAccepted(Session session, String response) {}
