package org.punchout.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.punchout.engine.BuyerProfile;
import org.punchout.engine.CartReturn;
import org.punchout.engine.Engine;
import org.punchout.engine.Envelope;
import org.punchout.engine.OciPage;
import org.punchout.engine.OciSession;
import org.punchout.engine.Session;
import org.punchout.engine.SetupAccepted;
import org.punchout.engine.exception.RejectedException;

/**
 * A tiny shop on {@code com.sun.net.httpserver} that speaks PunchOut through punchout-engine: the
 * cXML setup request, the OCI call-up, a cart and its transfer (cXML or OCI form). State is kept
 * in memory here; a real shop keeps sessions and carts in its database.
 *
 * <pre>java -cp punchout-engine.jar:. org.punchout.example.Shop SAMPLES_DIR [PORT]</pre>
 */
public final class Shop implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Engine engine = Engine.start();
    private final BuyerProfile cxmlBuyer;
    private final BuyerProfile ociBuyer;
    private final Map<String, Session> startTokens = new ConcurrentHashMap<>();
    private final Map<String, Visit> visits = new ConcurrentHashMap<>();

    /** A buyer's visit: its session (cXML or OCI) and its cart lines (JSON). */
    private static final class Visit {
        final Session cxml;
        final OciSession oci;
        final List<String> lines = new ArrayList<>();

        Visit(Session cxml, OciSession oci) {
            this.cxml = cxml;
            this.oci = oci;
        }
    }

    private Shop(Path samples, int port) throws IOException {
        cxmlBuyer = engine.compileProfile(Files.readString(samples.resolve("cxml-buyer-profile.json")),
                Map.of("ACME_ARIBA_SHARED_SECRET", "s3cr3t"));
        ociBuyer = engine.compileProfile(Files.readString(samples.resolve("oci-buyer-profile.json")),
                Map.of("ACME_SRM_OCI_PASSWORD", "oci-p4ss"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/punchout/setup", guarded(this::setup));
        server.createContext("/punchout/start", guarded(this::start));
        server.createContext("/oci", guarded(this::ociCallUp));
        server.createContext("/cart/add", guarded(this::add));
        server.createContext("/cart/transfer", guarded(this::transfer));
        server.start();
    }

    /** A failure the handler did not expect is logged and answered 500, never a dropped connection. */
    private static com.sun.net.httpserver.HttpHandler guarded(com.sun.net.httpserver.HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (IOException | RuntimeException error) {
                System.err.println("shop: " + error);
                send(exchange, 500, "text/plain", "the shop failed".getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    public static Shop start(Path samples, int port) throws IOException {
        return new Shop(samples, port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void setup(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Envelope envelope = Envelope.generate("shop.example.com");
        try {
            BuyerProfile buyer = engine.cxmlIdentify(List.of(cxmlBuyer), request);
            String token = HexFormat.of().formatHex(RANDOM.generateSeed(16));
            SetupAccepted accepted = engine.cxmlSetup(buyer, request, url() + "/punchout/start?token=" + token, envelope);
            startTokens.put(token, accepted.session());
            send(exchange, 200, "text/xml; charset=utf-8", accepted.response().getBytes(StandardCharsets.UTF_8));
        } catch (RejectedException error) {
            send(exchange, 200, "text/xml; charset=utf-8", engine.cxmlErrorResponse(error, envelope).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void start(HttpExchange exchange) throws IOException {
        String token = query(exchange).getOrDefault("token", "");
        Session session = startTokens.remove(token); // a start link works once
        if (session == null) {
            send(exchange, 403, "text/plain", "this start link was used already or is unknown".getBytes(StandardCharsets.UTF_8));
            return;
        }
        begin(exchange, new Visit(session, null));
    }

    private void ociCallUp(HttpExchange exchange) throws IOException {
        try {
            OciSession session = engine.ociCallUp(ociBuyer, exchange.getRequestURI().getRawQuery()).session();
            begin(exchange, new Visit(null, session));
        } catch (RejectedException error) {
            send(exchange, 403, "text/plain", ("the call-up was refused: " + error.code()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void begin(HttpExchange exchange, Visit visit) throws IOException {
        String cookie = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        visits.put(cookie, visit);
        // SameSite=None: procurement systems open the shop in a cross-site frame or popup.
        exchange.getResponseHeaders().add("Set-Cookie", "shop=" + cookie + "; Path=/; HttpOnly; Secure; SameSite=None");
        exchange.getResponseHeaders().add("Location", "/");
        send(exchange, 303, "text/plain", new byte[0]);
    }

    private void add(HttpExchange exchange) throws IOException {
        Visit visit = visit(exchange);
        if (visit == null) {
            send(exchange, 403, "text/plain", "no PunchOut session".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        // The catalog: the sample cart's two products, with their UNSPSC classification.
        String line = switch (form.getOrDefault("sku", "")) {
            case "ABC-123" -> "{\"sku\": \"ABC-123\", \"unit_price\": \"4.20\", \"unit\": \"PK\", \"description\": \"Copy paper A4\", \"attributes\": [{\"name\": \"classification\", \"value\": \"14111507\"}]";
            case "TON-9000" -> "{\"sku\": \"TON-9000\", \"unit_price\": \"89.90\", \"unit\": \"PCE\", \"description\": \"Toner cartridge\", \"attributes\": [{\"name\": \"classification\", \"value\": \"44103103\"}]";
            default -> null;
        };
        if (line == null) {
            send(exchange, 404, "text/plain", "no such product".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String quantity = form.getOrDefault("quantity", "1").replaceAll("[^0-9.]", "");
        visit.lines.add(line + ", \"line_ref\": \"line-" + (visit.lines.size() + 1) + "\", \"quantity\": \"" + quantity + "\"}");
        exchange.getResponseHeaders().add("Location", "/");
        send(exchange, 303, "text/plain", new byte[0]);
    }

    private void transfer(HttpExchange exchange) throws IOException {
        Visit visit = visit(exchange);
        if (visit == null) {
            send(exchange, 403, "text/plain", "no PunchOut session".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String cart = "{\"currency\": \"EUR\", \"lines\": [" + String.join(", ", visit.lines) + "]}";
        if (visit.cxml != null) {
            CartReturn returned = engine.cxmlCartReturn(cxmlBuyer, visit.cxml, cart, Envelope.generate("shop.example.com"));
            send(exchange, 200, "text/html; charset=utf-8", returned.formHtml().getBytes(StandardCharsets.UTF_8));
        } else {
            OciPage page = engine.ociCartForm(ociBuyer, visit.oci, cart);
            send(exchange, 200, page.contentType(), page.body());
        }
    }

    private Visit visit(HttpExchange exchange) {
        for (String cookie : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : cookie.split(";\\s*")) {
                if (part.startsWith("shop=")) {
                    return visits.get(part.substring(5));
                }
            }
        }
        return null;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query == null ? Map.of() : parse(query);
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> fields = new ConcurrentHashMap<>();
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static void main(String[] args) throws IOException {
        Shop shop = start(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 8080);
        System.out.println("shop listening on " + shop.url());
    }
}
