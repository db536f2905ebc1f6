// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
mod fgruntime;

use fgruntime::{Context, Error};

/// The answer's envelope, in the shape API Gateway expects; the event goes in "body" as received.
const RESPONSE_HEAD: &[u8] =
    br#"{"statusCode":200,"isBase64Encoded":false,"headers":{"Content-Type":"application/json"},"body":"#;
const RESPONSE_TAIL: &[u8] = b"}";

/// Answers a JSON event with the event itself wrapped in `RESPONSE_HEAD` and `RESPONSE_TAIL`; any
/// other event is an error. `_ctx` gives the request ID, the headers, the function's settings and
/// the deadline.
fn handler(event: &[u8], _ctx: &Context) -> Result<Vec<u8>, Error> {
    let valid = std::str::from_utf8(event)
        .is_ok_and(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok());
    if !valid {
        return Err(Error::new("the event is not valid JSON"));
    }
    let mut out = Vec::with_capacity(RESPONSE_HEAD.len() + event.len() + RESPONSE_TAIL.len());
    out.extend_from_slice(RESPONSE_HEAD);
    out.extend_from_slice(event);
    out.extend_from_slice(RESPONSE_TAIL);
    Ok(out)
}

fn main() {
    fgruntime::start(handler)
}
