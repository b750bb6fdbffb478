package org.punchout.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The bundled samples ({@code $PUNCHOUT_SAMPLES}) and one engine for the tests. */
final class Fixtures {
    private Fixtures() {}

    static final String START_URL = "https://shop.example.com/punchout/start?token=";
    static final Map<String, String> CXML_SECRETS = Map.of("ACME_ARIBA_SHARED_SECRET", "s3cr3t");
    static final Map<String, String> OCI_SECRETS = Map.of("ACME_SRM_OCI_PASSWORD", "oci-p4ss");

    static Path samples() {
        String dir = System.getenv("PUNCHOUT_SAMPLES");
        if (dir == null || dir.isEmpty()) {
            throw new IllegalStateException("PUNCHOUT_SAMPLES names the engine's samples folder (host-example/samples)");
        }
        return Path.of(dir);
    }

    static String read(String name) {
        try {
            return Files.readString(samples().resolve(name));
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
    }

    static Envelope envelope(int step) {
        return new Envelope("1764061200." + step + ".test@shop.example.com", "2026-11-25T10:00:00+01:00");
    }
}
