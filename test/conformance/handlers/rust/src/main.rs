// The conformance suite's test handler (replaces the scaffold's src/main.rs in a copy of the build).
// Raw mode (the default): the event chooses what it does: {"op":"throw"}, {"op":"typed"},
// {"op":"panic"}, {"op":"exit"}, {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"},
// {"op":"deep"}, {"op":"logbig","bytes":N}; anything else is echoed as is. FG_TEST_INIT_FAIL=panic
// or =error makes the init hook fail; a shutdown hook says that it ran. JSON mode (FG_TEST_MODE=json): a JSON handler of `Request`, with the ops of
// docs/events-contract.md.
mod fgruntime;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use fgruntime::events::{ApigRequest, ApigResponse};
use fgruntime::{Context, Error};

/// Finds "name": in the event and returns its string or bare value (no JSON parser).
fn field(event: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(event);
    let key = format!("\"{name}\":");
    let Some(i) = text.find(&key) else {
        return String::new();
    };
    let rest = text[i + key.len()..].trim_start_matches(' ');
    if let Some(s) = rest.strip_prefix('"') {
        return s.find('"').map(|j| s[..j].to_string()).unwrap_or_default();
    }
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

fn handler(event: &[u8], ctx: &Context) -> Result<Vec<u8>, Error> {
    match field(event, "op").as_str() {
        "throw" => Err(Error::new("thrown by the test handler")),
        "typed" => Err(Error::with_type(
            "Test.CustomError",
            "typed by the test handler",
        )),
        "panic" => panic!("panicked in the test handler"),
        "exit" => std::process::exit(3),
        "deep" => Ok(deep(100).to_string().into_bytes()),
        "logbig" => {
            let bytes: usize = field(event, "bytes").parse().unwrap_or(0);
            ctx.logger().info("ü€😀x".repeat(bytes / 10));
            Ok(b"logged".to_vec())
        }
        "sleep" => {
            let ms: u64 = field(event, "ms").parse().unwrap_or(0);
            std::thread::sleep(Duration::from_millis(ms));
            Ok(b"slept".to_vec())
        }
        "context" => {
            let f = &ctx.function;
            let mut b = String::new();
            let mut line = |k: &str, v: &dyn std::fmt::Display| {
                let _ = writeln!(b, "{k}\t{v}");
            };
            line("requestId", &ctx.request_id);
            line("accessKey", &ctx.access_key);
            line("authToken", &ctx.auth_token.expose());
            line("invokeType", &ctx.invoke_type);
            line("secretKey", &ctx.secret_key.expose());
            line("securityAccessKey", &ctx.security_access_key);
            line("securitySecretKey", &ctx.security_secret_key.expose());
            line("securityToken", &ctx.security_token.expose());
            line("projectId", &f.project_id);
            line("functionName", &f.function_name);
            line("functionVersion", &f.function_version);
            line("package", &f.package);
            line("handler", &f.handler);
            line("timeoutSeconds", &f.timeout_seconds);
            line("userData", &f.user_data);
            line("cpu", &f.cpu);
            line("memoryMb", &f.memory_mb);
            line("codeRoot", &f.code_root);
            line("logFormat", &f.log_format);
            line("remainingMs", &ctx.remaining_time().as_millis());
            Ok(b.into_bytes())
        }
        "log" => {
            // The language's ordinary ways of printing the context: secrets must not show.
            println!("context: {ctx:?}");
            eprintln!("context: {ctx:#?}");
            Ok(b"logged".to_vec())
        }
        _ => Ok(event.to_vec()),
    }
}

/// 100 frames deep (each its own, not inlined or turned into a loop), then a panic.
#[inline(never)]
fn deep(n: u32) -> u32 {
    assert!(n != 0, "panicked 100 frames deep");
    1 + deep(std::hint::black_box(n - 1))
}

/// The JSON mode's input: lenient, like the generated event types.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Request {
    op: String,
    value: Value,
    event: Value,
}

/// The JSON mode's outputs: one type for the handler, each variant serialised as what it holds.
#[derive(Serialize)]
#[serde(untagged)]
enum Output {
    Value(Value),
    Apig(ApigResponse),
    /// `serde_json` cannot serialise a map whose keys are not strings.
    Unserialisable(HashMap<Vec<u8>, u8>),
}

fn json_handler(request: Request, ctx: &Context) -> Result<Output, Error> {
    Ok(match request.op.as_str() {
        "echo" => Output::Value(request.value),
        "unserialisable" => Output::Unserialisable(HashMap::from([(vec![1, 2], 3)])),
        "apig-json" => {
            Output::Apig(ApigResponse::json(&json!({"ok": true, "n": [1, 2]}))?.with_status(201))
        }
        "apig-text" => Output::Apig(ApigResponse::text("grüße ✓")),
        "apig-binary" => Output::Apig(ApigResponse::binary(&(0..=255).collect::<Vec<u8>>())),
        "apig-decode" => {
            let event: ApigRequest = serde_json::from_value(request.event)?;
            let hex = event
                .decode_body()?
                .iter()
                .fold(String::new(), |mut hex, byte| {
                    let _ = write!(hex, "{byte:02x}");
                    hex
                });
            Output::Value(json!({ "body": hex }))
        }
        "context" => {
            let f = &ctx.function;
            Output::Value(json!({
                "getRequestID": ctx.request_id,
                "getAccessKey": ctx.access_key,
                "getToken": ctx.auth_token.expose(),
                "getSecretKey": ctx.secret_key.expose(),
                "getSecurityAccessKey": ctx.security_access_key,
                "getSecuritySecretKey": ctx.security_secret_key.expose(),
                "getSecurityToken": ctx.security_token.expose(),
                "getProjectID": f.project_id,
                "getFunctionName": f.function_name,
                "getVersion": f.function_version,
                "getPackage": f.package,
                "getRunningTimeInSeconds": f.timeout_seconds,
                "getCPUNumber": f.cpu,
                "getMemorySize": f.memory_mb,
                "userData": ctx.user_data("msg"),
                "missing": ctx.user_data("nope"),
            }))
        }
        "logger" => {
            ctx.logger().info("hello from the context logger");
            ctx.logger().warn("careful");
            Output::Value(json!("logged"))
        }
        op => return Err(Error::new(format!("unknown op {op:?}"))),
    })
}

fn main() {
    fgruntime::on_init(|| match std::env::var("FG_TEST_INIT_FAIL").as_deref() {
        Ok("panic") => panic!("fg init failure xyz"),
        Ok("error") => Err(Error::new("fg init failure xyz")),
        _ => Ok(()),
    });
    fgruntime::on_shutdown(|| eprintln!("test handler: shutdown hook ran"));
    if std::env::var("FG_TEST_MODE").is_ok_and(|mode| mode == "json") {
        fgruntime::start_json(json_handler)
    } else {
        fgruntime::start(handler)
    }
}
