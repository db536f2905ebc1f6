// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
mod fgruntime;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use fgruntime::events::{ApigRequest, ApigResponse};
use fgruntime::{Context, Error};

/// An event is an API Gateway request when this key holds a string.
const APIG_METHOD_KEY: &str = "httpMethod";

/// What the example answers an API Gateway request with.
#[derive(Serialize)]
struct Echo<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a HashMap<String, String>,
    body: Cow<'a, str>,
}

/// An example that API Gateway accepts: an APIG request is answered with its method, path, query
/// parameters and body as JSON; any other JSON event with the event's text as the body; anything
/// else is an error. `_ctx` gives the request ID, the headers, the function's settings, the
/// deadline, the user data and a logger.
fn handler(event: &[u8], _ctx: &Context) -> Result<Vec<u8>, Error> {
    let Ok(value) = serde_json::from_slice::<Value>(event) else {
        return Err(Error::new("the event is not valid JSON"));
    };
    let response = if value.get(APIG_METHOD_KEY).is_some_and(Value::is_string) {
        let request: ApigRequest = serde_json::from_value(value)?;
        let body = request
            .decode_body()
            .map_err(|_| Error::new("the APIG request body is not valid base64"))?;
        ApigResponse::json(&Echo {
            method: &request.http_method,
            path: &request.path,
            query: &request.query_string_parameters,
            body: String::from_utf8_lossy(&body),
        })?
    } else {
        // serde_json accepts only UTF-8, so the event's text is the event as received.
        let text = String::from_utf8_lossy(event).into_owned();
        ApigResponse::text(text).with_header("Content-Type", "application/json")
    };
    Ok(serde_json::to_vec(&response)?)
}

fn main() {
    fgruntime::start(handler)
}
