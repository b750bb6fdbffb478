package org.punchout.engine;

import com.google.gson.JsonObject;

/** An accepted OCI call-up: the session to store and the OCI function asked for. */
public record OciCallUpAccepted(OciSession session, JsonObject function) {}
