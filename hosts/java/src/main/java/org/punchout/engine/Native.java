package org.punchout.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The native library ({@code libpunchout_jni}): the engine component under wasmtime, a fresh
 * instance per call. Loaded once per JVM from {@code $PUNCHOUT_JNI_LIBRARY}, else from the jar,
 * where it travels for this platform.
 */
final class Native {
    private Native() {}

    static final String PLATFORM = System.getProperty("os.name").toLowerCase().replace(' ', '-')
            + "-" + System.getProperty("os.arch");

    static {
        String library = System.getenv("PUNCHOUT_JNI_LIBRARY");
        if (library != null && !library.isEmpty()) {
            System.load(Path.of(library).toAbsolutePath().toString());
        } else {
            System.load(Resources.extract("native/" + PLATFORM + "/libpunchout_jni.so").toString());
        }
    }

    /** {@code {"ok": info}} or {@code {"error": "…"}}. */
    static native String start(String configJson);

    /** The status, the JSON body, then each document's name and bytes. */
    static native Object[] call(String function, byte[] input);

    /** The function table and the error codes, answered like {@link #call}. */
    static native Object[] describe();

    /** Compiles the component for this library: {@code {"ok": {"bytes"}}} or {@code {"error"}}. */
    static native String precompile(String wasm, String cwasm);

    /** Files the jar carries, copied out once per content into a private cache folder. */
    static final class Resources {
        private Resources() {}

        static Path extract(String name) {
            String resource = "/org/punchout/engine/" + name;
            try (InputStream in = Native.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new UnsatisfiedLinkError("the punchout-engine jar carries no `" + name
                            + "` (platform " + PLATFORM + "); set PUNCHOUT_JNI_LIBRARY and PUNCHOUT_COMPONENT");
                }
                byte[] bytes = in.readAllBytes();
                String digest = sha256(bytes).substring(0, 16);
                Path dir = Path.of(System.getProperty("java.io.tmpdir"), "punchout-engine-" + digest);
                Files.createDirectories(dir);
                Path file = dir.resolve(Path.of(name).getFileName());
                if (!Files.exists(file) || Files.size(file) != bytes.length) {
                    Path partial = Files.createTempFile(dir, "partial", ".tmp");
                    Files.write(partial, bytes);
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                return file;
            } catch (IOException error) {
                throw new UncheckedIOExceptionWithName(name, error);
            }
        }

        static boolean has(String name) {
            return Native.class.getResource("/org/punchout/engine/" + name) != null;
        }

        private static String sha256(byte[] bytes) {
            try {
                StringBuilder hex = new StringBuilder();
                for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(bytes)) {
                    hex.append(String.format("%02x", b));
                }
                return hex.toString();
            } catch (java.security.NoSuchAlgorithmException error) {
                throw new IllegalStateException(error);
            }
        }
    }

    static final class UncheckedIOExceptionWithName extends java.io.UncheckedIOException {
        private static final long serialVersionUID = 1L;

        UncheckedIOExceptionWithName(String name, IOException cause) {
            super("cannot copy `" + name + "` out of the punchout-engine jar: " + cause.getMessage(), cause);
        }
    }
}
