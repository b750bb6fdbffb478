package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A trap and a deadline stop one call only. The limits are set when the process starts its
 * engine, so each runs in a JVM of its own ({@link LimitsProbe}).
 */
class IsolationTest {
    private static String probe(String kind) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("punchout.test.classpath", System.getProperty("java.class.path")),
                LimitsProbe.class.getName(), kind).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    @Test
    void aTrapLeavesTheNextCallWorking() throws Exception {
        assertEquals("trapped, then 2 lines", probe("memory"));
    }

    @Test
    void aDeadlineLeavesTheNextCallWorking() throws Exception {
        assertEquals("trapped, then 2 lines", probe("deadline"));
    }

    @Test
    void callsFromManyThreadsAllAnswer() throws Exception {
        Engine engine = Engine.start();
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        Session session = Session.fromJson(Fixtures.read("cxml-session.json"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CartReturn>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int step = i;
                calls.add(pool.submit(() -> engine.cxmlCartReturn(profile, session, Fixtures.read("cart.json"), Fixtures.envelope(step))));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertEquals(true, calls.get(i).get().message().contains("payloadID=\"1764061200." + i + ".test@shop.example.com\""));
            }
        } finally {
            pool.shutdown();
        }
    }
}
