package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.punchout.engine.exception.InvalidOrderException;

/** The order leg from Java: read, reconciled, recognised when delivered again, fulfilled. */
class OrderLegTest {
    private final Engine engine = Engine.start();

    @Test
    void anOrderIsReadReconciledAndRecognisedWhenDeliveredAgain() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        String request = Fixtures.read("cxml-order-request.xml");
        JsonObject order = engine.ordersReadCxmlOrder(profile, request);
        assertEquals("PO-2026-4711", order.get("order_id").getAsString());
        assertEquals(2, order.getAsJsonArray("lines").size());

        JsonObject reconciliation = engine.ordersReconcile(profile, order, Fixtures.read("cart.json"),
                Session.fromJson(Fixtures.read("cxml-session.json")));
        assertEquals("accept-with-changes", reconciliation.get("verdict").getAsString());

        // Any function of the table, by name: the redelivery check.
        JsonObject record = new JsonObject();
        for (String key : new String[] {"idempotency_key", "payload_id", "order_id", "content_hash"}) {
            record.add(key, order.get(key));
        }
        JsonObject again = engine.ordersReadCxmlOrder(profile, request.replace("1764148800.1.demo@", "1764148800.9.demo@"));
        JsonObject input = new JsonObject();
        input.add("order", again);
        JsonArray known = new JsonArray();
        known.add(record);
        input.add("known", known);
        assertEquals("duplicate", engine.call("orders-check-redelivery", input).object().get("outcome").getAsString());
    }

    @Test
    void moreShippedThanOrderedIsRefusedAtItsPointer() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        JsonObject order = engine.ordersReadCxmlOrder(profile, Fixtures.read("cxml-order-request.xml"));
        JsonObject shipNotice = JsonParser.parseString(Fixtures.read("order-ship-notice.json")).getAsJsonObject();
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.add("order", order);
        input.add("ship_notice", shipNotice);
        input.add("envelope", Engine.GSON.toJsonTree(Fixtures.envelope(5)));
        assertTrue(engine.call("orders-cxml-ship-notice", input).text("document").contains("<ShipNoticeRequest>"));

        shipNotice.getAsJsonArray("lines").get(0).getAsJsonObject().addProperty("quantity", "13");
        InvalidOrderException error = assertThrows(InvalidOrderException.class, () -> engine.call("orders-cxml-ship-notice", input));
        assertEquals("/lines/0/quantity", error.location().pointer());
    }
}
