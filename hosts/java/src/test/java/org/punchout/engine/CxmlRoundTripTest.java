package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.punchout.engine.exception.AuthenticationFailedException;
import org.punchout.engine.exception.InvalidCartException;
import org.punchout.engine.exception.InvalidProfileException;
import org.punchout.engine.exception.RejectedException;

/** The cXML round trip from Java: identify, setup, stored session, cart return, read back. */
class CxmlRoundTripTest {
    private final Engine engine = Engine.start();

    @Test
    void setupCartReturnAndReadBack() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        assertEquals(new BuyerProfile("acme-ariba", "cxml"), profile);
        String request = Fixtures.read("cxml-setup-request.xml");
        assertEquals(profile, engine.cxmlIdentify(List.of(profile), request));

        SetupAccepted accepted = engine.cxmlSetup(profile, request, Fixtures.START_URL + "t0k3n", Fixtures.envelope(1));
        assertEquals("c0ffee-42-ACME", accepted.session().buyerCookie());
        assertEquals("create", accepted.session().operation());
        assertEquals("Jane Doe", accepted.session().userName());
        assertTrue(accepted.response().contains("<URL>" + Fixtures.START_URL + "t0k3n</URL>"), accepted.response());

        // The shop stores the session as JSON and restores it.
        Session session = Session.fromJson(accepted.session().toJson());
        assertEquals(accepted.session(), session);
        CartReturn returned = engine.cxmlCartReturn(profile, session, Fixtures.read("cart.json"), Fixtures.envelope(3));
        assertTrue(returned.message().contains("<BuyerCookie>c0ffee-42-ACME</BuyerCookie>"));
        Matcher action = Pattern.compile("<form [^>]*action=\"([^\"]*)\"").matcher(returned.formHtml());
        assertTrue(action.find());
        assertEquals(session.returnUrl(), action.group(1));

        JsonObject read = engine.cxmlReadOrderMessage(returned.message());
        assertEquals("c0ffee-42-ACME", read.get("buyer_cookie").getAsString());
        assertEquals("226.80", read.get("total").getAsString());
        assertEquals(2, read.getAsJsonArray("lines").size());
    }

    @Test
    void aWrongSecretIsRefusedWithoutEchoingItAndAnswered401() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        String request = Fixtures.read("cxml-setup-request.xml").replace("<SharedSecret>s3cr3t</SharedSecret>", "<SharedSecret>guessed</SharedSecret>");
        AuthenticationFailedException error = assertThrows(AuthenticationFailedException.class,
                () -> engine.cxmlSetup(profile, request, Fixtures.START_URL + "x", Fixtures.envelope(1)));
        assertEquals("authentication-failed", error.code());
        assertFalse(error.getMessage().contains("guessed"));
        assertTrue(engine.cxmlErrorResponse(error, Fixtures.envelope(2)).contains("<Status code=\"401\""));
    }

    @Test
    void aBadCartIsRefusedAtItsJsonPointer() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("cxml-buyer-profile.json"), Fixtures.CXML_SECRETS);
        Session session = Session.fromJson(Fixtures.read("cxml-session.json"));
        String cart = Fixtures.read("cart.json").replaceFirst("\"quantity\": \"[^\"]*\"", "\"quantity\": \"-5\"");
        InvalidCartException error = assertThrows(InvalidCartException.class,
                () -> engine.cxmlCartReturn(profile, session, cart, Fixtures.envelope(1)));
        assertEquals("/lines/0/quantity", error.location().pointer());
    }

    @Test
    void aProfileErrorNamesItsPointerLineAndColumn() {
        RejectedException error = assertThrows(InvalidProfileException.class,
                () -> engine.compileProfile("{\"id\": 1}", java.util.Map.of()));
        assertEquals("/id", error.location().pointer());
        assertEquals(1, error.location().line());
        assertEquals("invalid type: integer `1`, expected a string", error.getMessage());
    }
}
