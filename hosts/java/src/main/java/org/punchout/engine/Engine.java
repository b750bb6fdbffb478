package org.punchout.engine;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.punchout.engine.exception.HostException;
import org.punchout.engine.exception.Location;
import org.punchout.engine.exception.RejectedException;
import org.punchout.engine.exception.TrapException;

/**
 * The PunchOut engine in this JVM.
 *
 * <p>The native library keeps one wasmtime engine and the linked component for the process's
 * life; each call runs on a fresh instance with a memory cap and a deadline, so an Engine may be
 * used from any thread (calls into the engine are serialised inside the library). Closing an
 * Engine ends its use, not the process's engine.
 *
 * <p>Every engine function is reachable through {@link #call(String, JsonObject)} by the name of
 * the library's function table ({@link #functions()}), which is generated from the engine's own
 * declarations; the round-trip functions also have typed methods taking and returning records.
 * Refused input throws a subclass of {@link RejectedException} (one per error code, with its
 * {@link Location}); a trap throws {@link TrapException}, after which the next call works.
 */
public final class Engine implements AutoCloseable {
    /** How the process's engine starts; the first Engine of the process decides. */
    public record Options(Path component, Path precompiled, long memoryLimitBytes, long callDeadlineMs) {
        /** The component the jar carries (or {@code $PUNCHOUT_COMPONENT}), 256 MiB, 5 s. */
        public static Options defaults() {
            return new Options(null, null, 256L << 20, 5_000);
        }

        public Options withCallDeadlineMs(long milliseconds) {
            return new Options(component, precompiled, memoryLimitBytes, milliseconds);
        }

        public Options withMemoryLimitBytes(long bytes) {
            return new Options(component, precompiled, bytes, callDeadlineMs);
        }
    }

    /** What a call answered: its JSON result and the documents that crossed as bytes. */
    public record Answer(JsonElement result, Map<String, byte[]> documents) {
        public JsonObject object() {
            return result.getAsJsonObject();
        }

        /** A document of the result as text (UTF-8), from the documents or the JSON. */
        public String text(String name) {
            byte[] bytes = documents.get(name);
            if (bytes != null) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
            JsonElement value = object().get(name);
            return value == null || value.isJsonNull() ? null : value.getAsString();
        }
    }

    static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .disableHtmlEscaping()
            .create();

    private static JsonObject startInfo;
    private volatile boolean closed;

    private Engine(JsonObject info) {
        startInfo = info;
    }

    /** Starts (or joins) the process's engine with the default options. */
    public static Engine start() {
        return start(Options.defaults());
    }

    /** Starts (or joins) the process's engine; only the first start's options apply. */
    public static synchronized Engine start(Options options) {
        JsonObject config = new JsonObject();
        Path component = options.component() != null ? options.component() : defaultComponent();
        config.addProperty("component", component.toString());
        Path precompiled = options.precompiled() != null ? options.precompiled() : defaultPrecompiled();
        if (precompiled != null) {
            config.addProperty("precompiled", precompiled.toString());
        }
        config.addProperty("memory_limit_bytes", options.memoryLimitBytes());
        config.addProperty("call_deadline_ms", options.callDeadlineMs());
        JsonObject answer = JsonParser.parseString(Native.start(config.toString())).getAsJsonObject();
        if (answer.has("error")) {
            throw new HostException("cannot start the PunchOut engine: " + answer.get("error").getAsString());
        }
        return new Engine(answer.getAsJsonObject("ok"));
    }

    private static Path defaultComponent() {
        String fromEnvironment = System.getenv("PUNCHOUT_COMPONENT");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Path.of(fromEnvironment);
        }
        return Native.Resources.extract("punchout_plugin.wasm");
    }

    private static Path defaultPrecompiled() {
        String fromEnvironment = System.getenv("PUNCHOUT_PRECOMPILED");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Path.of(fromEnvironment);
        }
        String name = "native/" + Native.PLATFORM + "/punchout_plugin.cwasm";
        return Native.Resources.has(name) ? Native.Resources.extract(name) : null;
    }

    /**
     * Compiles the component into a precompiled file for this library and wasmtime (at build or
     * install time; starting from it takes well under a millisecond). Valid for the default
     * memory cap; an engine started with another cap compiles the component instead.
     */
    public static void precompile(Path component, Path precompiled) {
        JsonObject answer = JsonParser.parseString(Native.precompile(component.toString(), precompiled.toString())).getAsJsonObject();
        if (answer.has("error")) {
            throw new HostException("cannot precompile the engine: " + answer.get("error").getAsString());
        }
    }

    /** {@code java -cp punchout-engine.jar org.punchout.engine.Engine precompile IN.wasm OUT.cwasm} */
    public static void main(String[] args) {
        if (args.length != 3 || !"precompile".equals(args[0])) {
            System.err.println("usage: java -cp punchout-engine.jar org.punchout.engine.Engine precompile COMPONENT.wasm OUTPUT.cwasm");
            System.exit(2);
        }
        precompile(Path.of(args[1]), Path.of(args[2]));
    }

    /** How the process's engine was started (precompiled or compiled, versions, limits). */
    public JsonObject startInfo() {
        return startInfo.deepCopy();
    }

    /** The library's functions: name, inputs, result keys. */
    public static List<JsonObject> functions() {
        JsonObject description = decode(Native.describe()).object();
        List<JsonObject> functions = new ArrayList<>();
        for (JsonElement function : description.getAsJsonArray("functions")) {
            functions.add(function.getAsJsonObject());
        }
        return Collections.unmodifiableList(functions);
    }

    /** Runs any function of the table with its JSON input. */
    public Answer call(String function, JsonObject input) {
        return send(function, input.toString());
    }

    /**
     * {@link #call} with one more input key whose value is JSON the caller already has as text
     * (a cart): spliced in as it is, not parsed and written again here; the engine reads it.
     */
    private Answer callWithJson(String function, JsonObject input, String key, String json) {
        String head = input.toString();
        return send(function, head.substring(0, head.length() - 1) + (input.size() == 0 ? "" : ",")
                + GSON.toJson(key) + ":" + json + "}");
    }

    private Answer send(String function, String input) {
        if (closed) {
            throw new HostException("the engine is closed");
        }
        if (!names().contains(function)) {
            String closest = Names.closest(names(), function);
            throw new HostException("the engine has no function `" + function + "`"
                    + (closest == null ? "" : "; did you mean `" + closest + "`?"));
        }
        return decode(Native.call(function, input.getBytes(StandardCharsets.UTF_8)));
    }

    private static volatile java.util.Set<String> names;

    private static java.util.Set<String> names() {
        if (names == null) {
            names = functions().stream().map(function -> function.get("name").getAsString())
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
        return names;
    }

    private static Answer decode(Object[] raw) {
        if (raw == null || raw.length < 2) {
            throw new HostException("the native library gave no answer");
        }
        String status = (String) raw[0];
        String body = new String((byte[]) raw[1], StandardCharsets.UTF_8);
        Map<String, byte[]> documents = new LinkedHashMap<>();
        for (int i = 2; i + 1 < raw.length; i += 2) {
            documents.put((String) raw[i], (byte[]) raw[i + 1]);
        }
        JsonElement json = body.isEmpty() ? new JsonObject() : JsonParser.parseString(body);
        switch (status) {
            case "ok":
                return new Answer(json, Collections.unmodifiableMap(documents));
            case "rejected": {
                JsonObject error = json.getAsJsonObject();
                String code = error.get("code").getAsString();
                String message = error.get("message").getAsString();
                Location location = error.has("location")
                        ? GSON.fromJson(error.get("location"), Location.class)
                        : Location.NONE;
                RejectedException rejected = RejectedException.of(code, message, location);
                if (rejected == null) {
                    throw new HostException("the engine answered an unknown error code `" + code + "`: " + message);
                }
                throw rejected;
            }
            case "trap":
                throw new TrapException("the engine trapped: " + messageOf(json));
            default:
                throw new HostException(messageOf(json));
        }
    }

    private static String messageOf(JsonElement json) {
        if (json.isJsonObject() && json.getAsJsonObject().has("message")) {
            return json.getAsJsonObject().get("message").getAsString();
        }
        return json.toString();
    }

    // The typed round-trip functions.

    /** Compiles a buyer profile (JSON) with the secrets its references name. */
    public BuyerProfile compileProfile(String profileJson, Map<String, String> secrets) {
        JsonObject input = new JsonObject();
        input.addProperty("profile", profileJson);
        input.add("secrets", GSON.toJsonTree(secrets));
        return GSON.fromJson(call("compile-profile", input).result(), BuyerProfile.class);
    }

    /** Compiles the profile in {@code file}, its {@code extends} resolved from the file's folder. */
    public BuyerProfile compileProfileFile(Path file, Map<String, String> secrets) {
        JsonObject input = new JsonObject();
        input.addProperty("path", file.toString());
        input.add("secrets", GSON.toJsonTree(secrets));
        return GSON.fromJson(call("compile-profile-file", input).result(), BuyerProfile.class);
    }

    /** The profile a cXML {@code PunchOutSetupRequest} comes from, authenticated against it. */
    public BuyerProfile cxmlIdentify(List<BuyerProfile> profiles, String request) {
        JsonObject input = new JsonObject();
        input.add("profile_ids", ids(profiles));
        input.addProperty("request", request);
        String id = call("cxml-identify", input).object().get("profile_id").getAsString();
        return profiles.stream().filter(profile -> profile.id().equals(id)).findFirst()
                .orElseThrow(() -> new HostException("the engine identified `" + id + "`, not one of the profiles given"));
    }

    /** Authenticates a {@code PunchOutSetupRequest} and answers it with the start URL. */
    public SetupAccepted cxmlSetup(BuyerProfile profile, String request, String startUrl, Envelope envelope) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.addProperty("request", request);
        input.addProperty("start_url", startUrl);
        input.add("envelope", GSON.toJsonTree(envelope));
        Answer answer = call("cxml-setup", input);
        return new SetupAccepted(new Session(answer.object().getAsJsonObject("session")), answer.text("response"));
    }

    /** The cXML {@code Response} that refuses a request, with the status the error calls for. */
    public String cxmlErrorResponse(RejectedException error, Envelope envelope) {
        JsonObject input = new JsonObject();
        JsonObject record = new JsonObject();
        record.addProperty("code", error.code());
        record.addProperty("message", error.getMessage());
        record.add("location", GSON.toJsonTree(error.location()));
        input.add("error", record);
        input.add("envelope", GSON.toJsonTree(envelope));
        return call("cxml-error-response", input).text("response");
    }

    /** The cart as a {@code PunchOutOrderMessage} and the page that posts it to the buyer. */
    public CartReturn cxmlCartReturn(BuyerProfile profile, Session session, String cartJson, Envelope envelope) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.add("session", session.json());
        input.add("envelope", GSON.toJsonTree(envelope));
        Answer answer = callWithJson("cxml-cart-return", input, "cart", cartJson);
        return new CartReturn(answer.text("message"), answer.text("form_html"));
    }

    /** A {@code PunchOutOrderMessage} read back, as the buyer's system reads it. */
    public JsonObject cxmlReadOrderMessage(String message) {
        JsonObject input = new JsonObject();
        input.addProperty("message", message);
        return call("cxml-read-order-message", input).object();
    }

    /** Authenticates an OCI call-up (the GET query or the POST body). */
    public OciCallUpAccepted ociCallUp(BuyerProfile profile, String callUp) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.addProperty("call_up", callUp);
        JsonObject result = call("oci-call-up", input).object();
        return new OciCallUpAccepted(new OciSession(result.getAsJsonObject("session")), result.getAsJsonObject("function"));
    }

    /** The cart as the self-posting form of {@code NEW_ITEM-*} fields, in the buyer's charset. */
    public OciPage ociCartForm(BuyerProfile profile, OciSession session, String cartJson) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.add("session", session.json());
        Answer answer = callWithJson("oci-cart-form", input, "cart", cartJson);
        return new OciPage(answer.documents().get("body"), answer.object().get("charset").getAsString(),
                answer.object().get("content_type").getAsString());
    }

    /** Reads and authenticates a cXML {@code OrderRequest}: the purchase order as JSON. */
    public JsonObject ordersReadCxmlOrder(BuyerProfile profile, String document) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.addProperty("document", document);
        return call("orders-read-cxml-order", input).object();
    }

    /** The order against the cart returned for its session, with the profile's verdict. */
    public JsonObject ordersReconcile(BuyerProfile profile, JsonObject order, String cartJson, Session session) {
        JsonObject input = new JsonObject();
        input.addProperty("profile_id", profile.id());
        input.add("order", order);
        input.add("cart", JsonParser.parseString(cartJson));
        if (session != null) {
            input.add("session", session.json());
        }
        return call("orders-reconcile", input).object();
    }

    private static JsonArray ids(List<BuyerProfile> profiles) {
        JsonArray ids = new JsonArray();
        profiles.forEach(profile -> ids.add(profile.id()));
        return ids;
    }

    @Override
    public void close() {
        closed = true;
    }
}
