package org.punchout.engine;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A cXML document's {@code payloadID} and {@code timestamp}. */
public record Envelope(String payloadId, String timestamp) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new payload ID in {@code domain}, stamped now. */
    public static Envelope generate(String domain) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String payloadId = now.toEpochSecond() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + "@" + domain;
        return new Envelope(payloadId, now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }
}
