//! The Java host's native library: [`punchout_ffi`] (the engine component under wasmtime, a
//! fresh instance per call, the JSON bridge) behind three JNI functions of
//! `org.punchout.engine.Native`. Bytes in, bytes out; every failure is an answer, never a Java
//! exception thrown from here, and no panic crosses into the JVM.
// JNI finds the functions by their unmangled names.
#![allow(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::{jobjectArray, jstring};
use jni::JNIEnv;

/// `static native String start(String configJson)`: `{"ok": start info}` or `{"error": "…"}`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_punchout_engine_Native_start<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    config: JString<'local>,
) -> jstring {
    let answer = catch_unwind(AssertUnwindSafe(|| {
        let config: String = match env.get_string(&config) {
            Ok(text) => text.into(),
            Err(error) => return serde_json::json!({ "error": error.to_string() }),
        };
        let config: punchout_ffi::HostConfig = match serde_json::from_str(&config) {
            Ok(config) => config,
            Err(error) => {
                return serde_json::json!({ "error": format!("bad configuration: {error}") })
            }
        };
        match punchout_ffi::start(&config) {
            Ok(info) => {
                serde_json::json!({ "ok": serde_json::to_value(&info).unwrap_or_default() })
            }
            Err(error) => serde_json::json!({ "error": error }),
        }
    }))
    .unwrap_or_else(|_| serde_json::json!({ "error": "the engine panicked while starting" }));
    env.new_string(answer.to_string())
        .map_or(std::ptr::null_mut(), JString::into_raw)
}

/// `static native Object[] call(String function, byte[] input)`: the status (`ok`, `rejected`,
/// `trap`, `host`), the JSON body, then each document as its name and its bytes.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_punchout_engine_Native_call<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    function: JString<'local>,
    input: JByteArray<'local>,
) -> jobjectArray {
    let answer = catch_unwind(AssertUnwindSafe(|| {
        let function: String = env
            .get_string(&function)
            .map(Into::into)
            .unwrap_or_default();
        let input = env.convert_byte_array(&input).unwrap_or_default();
        punchout_ffi::call(&function, &input)
    }))
    .unwrap_or_else(|_| punchout_ffi::call("", b"{}"));
    answer_array(&mut env, &answer).unwrap_or(std::ptr::null_mut())
}

/// `static native Object[] describe()`: the function table and error codes, as `call` answers.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_punchout_engine_Native_describe<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
) -> jobjectArray {
    let answer = punchout_ffi::describe();
    answer_array(&mut env, &answer).unwrap_or(std::ptr::null_mut())
}

fn answer_array(
    env: &mut JNIEnv<'_>,
    answer: &punchout_ffi::Answer,
) -> jni::errors::Result<jobjectArray> {
    let status = match answer.status {
        punchout_ffi::Status::Ok => "ok",
        punchout_ffi::Status::Rejected => "rejected",
        punchout_ffi::Status::Trap => "trap",
        _ => "host",
    };
    let length =
        i32::try_from(answer.parts.len().saturating_mul(2).saturating_add(2)).unwrap_or(i32::MAX);
    let array: JObjectArray<'_> =
        env.new_object_array(length, "java/lang/Object", JObject::null())?;
    let status = env.new_string(status)?;
    env.set_object_array_element(&array, 0, status)?;
    let body = env.byte_array_from_slice(&answer.body)?;
    env.set_object_array_element(&array, 1, body)?;
    let mut index = 2;
    for part in &answer.parts {
        let name = env.new_string(&part.name)?;
        env.set_object_array_element(&array, index, name)?;
        let bytes = env.byte_array_from_slice(&part.bytes)?;
        env.set_object_array_element(&array, index.saturating_add(1), bytes)?;
        index = index.saturating_add(2);
    }
    Ok(array.into_raw())
}

/// `static native String precompile(String wasm, String cwasm)`: compiles the component into a
/// precompiled file for this library and wasmtime (build or install time); `{"ok": {"bytes"}}`
/// or `{"error": "…"}`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_org_punchout_engine_Native_precompile<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    wasm: JString<'local>,
    cwasm: JString<'local>,
) -> jstring {
    let answer = catch_unwind(AssertUnwindSafe(|| {
        let wasm: String = env.get_string(&wasm).map(Into::into).unwrap_or_default();
        let cwasm: String = env.get_string(&cwasm).map(Into::into).unwrap_or_default();
        let result = punchout_host::new_engine().and_then(|engine| {
            punchout_ffi::precompiled::precompile_file(&engine, wasm.as_ref(), cwasm.as_ref())
        });
        match result {
            Ok(bytes) => serde_json::json!({ "ok": { "bytes": bytes } }),
            Err(error) => serde_json::json!({ "error": format!("{error:#}") }),
        }
    }))
    .unwrap_or_else(|_| serde_json::json!({ "error": "the engine panicked while precompiling" }));
    env.new_string(answer.to_string())
        .map_or(std::ptr::null_mut(), JString::into_raw)
}
