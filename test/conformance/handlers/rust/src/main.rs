// The conformance suite's test handler (replaces the scaffold's src/main.rs in a copy of the build).
// The event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"}, {"op":"exit"},
// {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}; anything else is echoed as is.
mod fgruntime;

use fgruntime::{Context, Error};
use std::fmt::Write as _;
use std::time::Duration;

/// Finds "name": in the event and returns its string or bare value (no JSON parser).
fn field(event: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(event);
    let key = format!("\"{name}\":");
    let Some(i) = text.find(&key) else { return String::new() };
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
        "typed" => Err(Error::with_type("Test.CustomError", "typed by the test handler")),
        "panic" => panic!("panicked in the test handler"),
        "exit" => std::process::exit(3),
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

fn main() {
    fgruntime::start(handler)
}
