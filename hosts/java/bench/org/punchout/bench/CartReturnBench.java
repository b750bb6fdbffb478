package org.punchout.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.punchout.engine.BuyerProfile;
import org.punchout.engine.Engine;
import org.punchout.engine.Envelope;
import org.punchout.engine.OciSession;
import org.punchout.engine.Session;

/**
 * Times the Java host on the benchmark's carts (from {@code punchout-bench cart N}): the cXML
 * cart return and the OCI cart form, per call; prints one JSON line per cart and case, the
 * median of 5 round medians in microseconds with the lowest and highest round median.
 *
 * <pre>java -cp punchout-engine.jar:classes org.punchout.bench.CartReturnBench SAMPLES CART.json…</pre>
 */
public final class CartReturnBench {
    private CartReturnBench() {}

    private interface Case {
        void run(String cart);
    }

    public static void main(String[] args) throws Exception {
        Path samples = Path.of(args[0]);
        Engine engine = Engine.start();
        BuyerProfile cxml = engine.compileProfile(Files.readString(samples.resolve("cxml-buyer-profile.json")),
                Map.of("ACME_ARIBA_SHARED_SECRET", "s3cr3t"));
        BuyerProfile oci = engine.compileProfile(Files.readString(samples.resolve("oci-buyer-profile.json")),
                Map.of("ACME_SRM_OCI_PASSWORD", "oci-p4ss"));
        Envelope envelope = new Envelope("1764061200.1.bench@shop.example.com", "2026-11-25T10:00:00+01:00");
        Session session = engine.cxmlSetup(cxml, Files.readString(samples.resolve("cxml-setup-request.xml")),
                "https://shop.example.com/start?t=1", envelope).session();
        OciSession ociSession = engine.ociCallUp(oci, Files.readString(samples.resolve("oci-call-up.txt")).trim()).session();
        Map<String, Case> cases = Map.of(
                "cxml-cart-return", cart -> engine.cxmlCartReturn(cxml, session, cart, envelope),
                "oci-cart-form", cart -> engine.ociCartForm(oci, ociSession, cart));
        for (int a = 1; a < args.length; a++) {
            String cart = Files.readString(Path.of(args[a]));
            int lines = cart.split("\"line_ref\"", -1).length - 1;
            int calls = Math.max(5, Math.min(400, 20_000 / Math.max(1, lines)));
            Map<String, List<Double>> medians = new java.util.TreeMap<>();
            for (Case run : cases.values()) {
                for (int i = 0; i < 50; i++) {
                    run.run(cart);
                }
            }
            for (int round = 0; round < 5; round++) {
                for (Map.Entry<String, Case> entry : new java.util.TreeMap<>(cases).entrySet()) {
                    List<Double> times = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        entry.getValue().run(cart);
                        times.add((System.nanoTime() - start) / 1000.0);
                    }
                    medians.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(median(times));
                }
            }
            for (Map.Entry<String, List<Double>> entry : medians.entrySet()) {
                List<Double> values = entry.getValue();
                System.out.printf("{\"case\":\"%s\",\"lines\":%d,\"median_us\":%.1f,\"min_us\":%.1f,\"max_us\":%.1f}%n",
                        entry.getKey(), lines, median(values), Collections.min(values), Collections.max(values));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
