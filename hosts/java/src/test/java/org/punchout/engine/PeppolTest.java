package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.punchout.engine.exception.ReturnUrlNotAllowedException;

/** Peppol from Java, through the function table: the T77 cart and its delivery. */
class PeppolTest {
    private static final String RETURN_URL = "https://eprocurement.def-customer.example/punchout/return";

    private static JsonObject cartCall(BuyerProfile profile, String returnUrl) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.add("cart", JsonParser.parseString(Fixtures.read("cart.json")));
        input.add("envelope", Engine.GSON.toJsonTree(new Envelope("CART-1", "2026-11-25T10:00:00+01:00")));
        input.addProperty("return_url", returnUrl);
        return input;
    }

    @Test
    void aCartGoesBackAsAT77InTheProfilesForm() {
        Engine engine = Engine.start();
        BuyerProfile profile = engine.compileProfile(Fixtures.read("peppol-buyer-profile.json"), Map.of());
        assertEquals("peppol", profile.protocol());
        Engine.Answer answer = engine.call("peppol-cart", cartCall(profile, RETURN_URL));
        String document = answer.text("document");
        assertTrue(document.contains("<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:punch_out:3</cbc:ProfileID>"), document);
        assertTrue(document.contains("<cbc:ID>CART-1</cbc:ID>"), document);
        assertEquals(RETURN_URL, answer.object().get("url").getAsString());
        assertTrue(answer.text("form_html").contains("name=\"punchout-cart\""));

        ReturnUrlNotAllowedException refused = assertThrows(ReturnUrlNotAllowedException.class,
                () -> engine.call("peppol-cart", cartCall(profile, "https://elsewhere.example/")));
        assertEquals("return_url", refused.location().field());
    }
}
