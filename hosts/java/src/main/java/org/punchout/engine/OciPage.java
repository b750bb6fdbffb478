package org.punchout.engine;

/** An HTML page for the buyer's browser, in the buyer's charset. */
public record OciPage(byte[] body, String charset, String contentType) {}
