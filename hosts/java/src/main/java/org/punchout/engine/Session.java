package org.punchout.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A cXML PunchOut session as the engine gave it: store {@link #toJson()} (it holds no secret)
 * and restore it with {@link #fromJson(String)}.
 */
public record Session(JsonObject json) {
    public Session {
        json = json.deepCopy();
    }

    public static Session fromJson(String text) {
        return new Session(JsonParser.parseString(text).getAsJsonObject());
    }

    public String toJson() {
        return json.toString();
    }

    public String buyerId() {
        return text("buyer_id");
    }

    public String operation() {
        return text("operation");
    }

    public String buyerCookie() {
        return text("buyer_cookie");
    }

    public String returnUrl() {
        return text("return_url");
    }

    public String userName() {
        return text("user_name");
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
