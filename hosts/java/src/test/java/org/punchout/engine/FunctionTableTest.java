package org.punchout.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.punchout.engine.exception.HostException;
import org.punchout.engine.exception.InvalidValueException;
import org.punchout.engine.exception.RejectedException;

/** The function table and the error codes come from the library, and every code has its class. */
class FunctionTableTest {
    @Test
    void everyFunctionOfTheTableAnswersThroughCall() {
        Engine engine = Engine.start();
        List<JsonObject> functions = Engine.functions();
        List<String> names = functions.stream().map(function -> function.get("name").getAsString()).collect(Collectors.toList());
        assertTrue(names.containsAll(List.of("compile-profile", "cxml-setup", "oci-cart-form", "orders-reconcile")), names.toString());
        for (String name : names) {
            // An empty input is refused by each function as its own input, never as an unknown function.
            RejectedException error = assertThrows(RejectedException.class, () -> engine.call(name, new JsonObject()), name);
            assertTrue(error instanceof InvalidValueException, name + ": " + error);
        }
        HostException unknown = assertThrows(HostException.class, () -> engine.call("cxml-setpu", new JsonObject()));
        assertTrue(unknown.getMessage().contains("cxml-setup"), unknown.getMessage());
    }

    @Test
    void everyErrorCodeHasItsClass() {
        for (String code : RejectedException.CODES) {
            RejectedException error = RejectedException.of(code, "m", null);
            assertNotNull(error, code);
            assertEquals(code, error.code());
        }
    }

    @Test
    void aClosedEngineRefusesCalls() {
        Engine engine = Engine.start();
        engine.close();
        assertThrows(HostException.class, () -> engine.call("compile-profile", new JsonObject()));
    }
}
