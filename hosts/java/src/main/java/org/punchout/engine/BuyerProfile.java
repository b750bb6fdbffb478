package org.punchout.engine;

/** A compiled buyer profile: pass it to the engine's functions. */
public record BuyerProfile(String id, String protocol) {}
