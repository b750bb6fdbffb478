package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.punchout.engine.exception.AuthenticationFailedException;

/** The OCI round trip from Java: the call-up authenticated, the cart as a Latin-1 form. */
class OciRoundTripTest {
    private final Engine engine = Engine.start();

    @Test
    void callUpThenLatin1CartForm() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("oci-buyer-profile.json"), Fixtures.OCI_SECRETS);
        OciCallUpAccepted callUp = engine.ociCallUp(profile, Fixtures.read("oci-call-up.txt").trim());
        assertEquals("acme-srm", callUp.session().buyerId());
        assertEquals("iso-8859-1", callUp.session().charset());
        assertFalse(callUp.session().toJson().contains("oci-p4ss"));

        String cart = Fixtures.read("cart.json").replace("Copy paper A4 80 g/m²", "Kopierpapier für Laserdrucker");
        OciPage page = engine.ociCartForm(profile, OciSession.fromJson(callUp.session().toJson()), cart);
        assertEquals("text/html; charset=iso-8859-1", page.contentType());
        String html = new String(page.body(), StandardCharsets.ISO_8859_1);
        assertTrue(html.contains("Kopierpapier f\u00fcr Laserdrucker"), "the page is encoded in Latin-1");
        assertTrue(html.contains("name=\"NEW_ITEM-VENDORMAT[1]\" value=\"ABC-123\""), html);
    }

    @Test
    void aWrongPasswordIsRefusedWithoutEchoingIt() {
        BuyerProfile profile = engine.compileProfile(Fixtures.read("oci-buyer-profile.json"), Fixtures.OCI_SECRETS);
        String callUp = Fixtures.read("oci-call-up.txt").trim().replace("PASSWORD=oci-p4ss", "PASSWORD=guessed-pw");
        AuthenticationFailedException error = assertThrows(AuthenticationFailedException.class, () -> engine.ociCallUp(profile, callUp));
        assertFalse(error.getMessage().contains("guessed-pw"));
    }
}
