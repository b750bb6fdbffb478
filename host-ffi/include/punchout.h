/*
 * punchout.h: the C ABI of the PunchOut engine's native host core (crate punchout-ffi).
 *
 * One engine per process: punchout_start() loads the component once (a precompiled .cwasm,
 * checked by digest, wasmtime version and engine configuration, or the .wasm compiled as a
 * fallback); punchout_call() runs one function on a fresh instance with a memory cap and an
 * epoch deadline. Bytes in (UTF-8 JSON, with lengths; no NUL terminator needed), bytes out.
 *
 * Every function except punchout_free() and punchout_version() returns a punchout_result whose
 * body and parts the caller owns and releases with punchout_free(&result). The body is never
 * empty:
 *   PUNCHOUT_OK        the function's result (JSON)
 *   PUNCHOUT_REJECTED  the engine's typed error {"code", "message", "location"}: bad input
 *   PUNCHOUT_TRAP      {"message"}: the guest trapped (memory cap, deadline); the next call runs
 *                      on a fresh instance
 *   PUNCHOUT_HOST      {"message"}: not started, no usable component, bad configuration
 *   PUNCHOUT_USAGE     {"message"}: a null pointer with a non-zero length, a non-UTF-8 name
 *   PUNCHOUT_PANIC     {"message"}: the native core panicked; the panic was caught
 * An OK body's documents are not in its JSON but in result.parts, as raw bytes: set
 * body[part.name] = part.data[0..part.len] for each. Any top-level string of 1 KiB or more (a
 * PunchOutOrderMessage, its form, a cXML response) keeps its name and is UTF-8; a binary document
 * that the JSON bridge writes base64-encoded as "x_base64" arrives as "x", raw (an OCI page's
 * "body", in the charset its "charset" names). They cross with no JSON escaping and no base64.
 * No export unwinds into the caller. The library is thread-safe (calls are serialised).
 *
 * Do not call punchout_start() before fork(): start in each worker process.
 */
#ifndef PUNCHOUT_H
#define PUNCHOUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PUNCHOUT_OK 0
#define PUNCHOUT_REJECTED 1
#define PUNCHOUT_TRAP 2
#define PUNCHOUT_HOST 3
#define PUNCHOUT_USAGE 4
#define PUNCHOUT_PANIC 5

typedef struct punchout_part {
    uint8_t *name;      /* a top-level key of the body's JSON object */
    size_t name_len;
    uint8_t *data;      /* its value: UTF-8 text, or a binary document's bytes */
    size_t len;
} punchout_part;

typedef struct punchout_result {
    int32_t status;
    uint8_t *data;      /* the JSON body */
    size_t len;
    punchout_part *parts; /* null when part_count is 0 */
    size_t part_count;
} punchout_result;

/* The library version, a static string. */
const char *punchout_version(void);

/* Starts the engine from a JSON configuration (null/0 for the defaults):
 * {"component": ".wasm path", "precompiled": ".cwasm path", "require_precompiled": false,
 *  "memory_limit_bytes": 67108864, "call_deadline_ms": 2000, "epoch_tick_ms": 10}
 * OK body: {"source": "precompiled"|"compiled", "fallback_reason", "start_micros", "config", ...}.
 * Once started, later calls return the running engine's information. */
punchout_result punchout_start(const char *config, size_t config_len);

/* Runs one function of the engine ("compile-profile", "cxml-setup", ...; see
 * punchout_functions()) with a JSON object as input. */
punchout_result punchout_call(const char *function, size_t function_len,
                              const char *input, size_t input_len);

/* {"functions": [{"name", "inputs", "result_keys", "result", "documented"}],
 *  "error_codes": [...], "running": start information or null}. Needs no start. */
punchout_result punchout_functions(void);

/* Compiles the .wasm at wasm_path into the precompiled file cwasm_path (install time). */
punchout_result punchout_precompile(const char *wasm_path, size_t wasm_path_len,
                                    const char *cwasm_path, size_t cwasm_path_len);

/* Releases a result's body and parts and clears it (releasing it again does nothing).
 * Null is ignored. */
void punchout_free(punchout_result *result);

#ifdef __cplusplus
}
#endif

#endif /* PUNCHOUT_H */
