package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.punchout.example.Shop;

/** The example shop on com.sun.net.httpserver, driven over HTTP through both round trips. */
class ExampleShopTest {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<byte[]> http(Shop shop, String method, String path, String body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(shop.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (body != null) {
            request.header("Content-Type", path.startsWith("/cart") ? "application/x-www-form-urlencoded" : "text/xml");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String cookie(HttpResponse<?> response) {
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @Test
    void theCxmlRoundTrip() throws Exception {
        try (Shop shop = Shop.start(Fixtures.samples(), 0)) {
            String request = Fixtures.read("cxml-setup-request.xml");
            String refused = new String(http(shop, "POST", "/punchout/setup", request.replace(">s3cr3t<", ">guess<"), null).body(), StandardCharsets.UTF_8);
            assertTrue(refused.contains("<Status code=\"401\""), refused);

            String setup = new String(http(shop, "POST", "/punchout/setup", request, null).body(), StandardCharsets.UTF_8);
            Matcher start = Pattern.compile("<StartPage>\\s*<URL>([^<]+)</URL>").matcher(setup);
            assertTrue(start.find(), setup);
            String path = start.group(1).replace("&amp;", "&").substring(shop.url().length());
            HttpResponse<byte[]> opened = http(shop, "GET", path, null, null);
            assertEquals(303, opened.statusCode());
            assertEquals(403, http(shop, "GET", path, null, null).statusCode(), "a start link works once");

            String cookie = cookie(opened);
            http(shop, "POST", "/cart/add", "sku=ABC-123&quantity=10", cookie);
            http(shop, "POST", "/cart/add", "sku=TON-9000&quantity=2", cookie);
            String form = new String(http(shop, "POST", "/cart/transfer", "", cookie).body(), StandardCharsets.UTF_8);
            assertTrue(form.contains("action=\"https://procurement.example.com/punchout/return?sap-client=100\""), form);
            assertTrue(form.contains("name=\"cxml-urlencoded\""), form);
        }
    }

    @Test
    void theOciRoundTrip() throws Exception {
        try (Shop shop = Shop.start(Fixtures.samples(), 0)) {
            String callUp = Fixtures.read("oci-call-up.txt").trim();
            assertEquals(403, http(shop, "GET", "/oci?" + callUp.replace("oci-p4ss", "guessed"), null, null).statusCode());
            HttpResponse<byte[]> opened = http(shop, "GET", "/oci?" + callUp, null, null);
            assertEquals(303, opened.statusCode());
            String cookie = cookie(opened);
            http(shop, "POST", "/cart/add", "sku=ABC-123&quantity=3", cookie);
            HttpResponse<byte[]> transfer = http(shop, "POST", "/cart/transfer", "", cookie);
            assertEquals("text/html; charset=iso-8859-1", transfer.headers().firstValue("Content-Type").orElseThrow());
            String form = new String(transfer.body(), StandardCharsets.ISO_8859_1);
            assertTrue(form.contains("action=\"https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm"), form);
            assertTrue(form.contains("name=\"NEW_ITEM-QUANTITY[1]\" value=\"3\""), form);
        }
    }
}
