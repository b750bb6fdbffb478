package org.punchout.engine;

import org.punchout.engine.exception.TrapException;

/**
 * Run in its own JVM by {@link IsolationTest}: starts the engine with a small memory cap or a
 * short deadline, makes one call blow it, then checks that the next call works. Prints
 * {@code trapped, then N lines}.
 */
public final class LimitsProbe {
    private LimitsProbe() {}

    public static void main(String[] args) {
        Engine.Options options = Engine.Options.defaults();
        options = "memory".equals(args[0]) ? options.withMemoryLimitBytes(8L << 20) : options.withCallDeadlineMs(100);
        Engine engine = Engine.start(options);
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        Session session = Session.fromJson(Fixtures.read("cxml-session.json"));
        String message = engine.cxmlCartReturn(profile, session, Fixtures.read("cart.json"), Fixtures.envelope(1)).message();
        // About 8 MiB of items: under the 10 MiB document limit, over an 8 MiB memory cap once
        // read, and far more than 100 ms of work.
        int start = message.indexOf("<ItemIn ");
        int end = message.lastIndexOf("</ItemIn>") + "</ItemIn>".length();
        String item = message.substring(start, message.indexOf("</ItemIn>") + "</ItemIn>".length());
        String huge = message.substring(0, start) + item.repeat((8 << 20) / item.length()) + message.substring(end);
        try {
            engine.cxmlReadOrderMessage(huge);
            System.out.println("no trap");
            return;
        } catch (TrapException expected) {
            System.out.print("trapped, then ");
        }
        System.out.println(engine.cxmlReadOrderMessage(message).getAsJsonArray("lines").size() + " lines");
    }
}
