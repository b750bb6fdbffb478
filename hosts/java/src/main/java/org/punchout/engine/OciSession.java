package org.punchout.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An OCI session as the engine gave it: store {@link #toJson()} (it holds no secret)
 * and restore it with {@link #fromJson(String)}.
 */
public record OciSession(JsonObject json) {
    public OciSession {
        json = json.deepCopy();
    }

    public static OciSession fromJson(String text) {
        return new OciSession(JsonParser.parseString(text).getAsJsonObject());
    }

    public String toJson() {
        return json.toString();
    }

    public String buyerId() {
        return text("buyer_id");
    }

    public String hookUrl() {
        return text("hook_url");
    }

    /** {@code utf-8} or {@code iso-8859-1}: the charset of the cart form. */
    public String charset() {
        return text("charset");
    }

    @Override
    public JsonObject json() {
        return json.deepCopy();
    }

    private String text(String key) {
        JsonElement value = json.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
