// The benchmark's typed JSON handler for Rust (bench/README.md, "typed JSON handler vs raw"): the
// default scaffold's answer to an API Gateway request, written with fgruntime::start_json on
// ApigRequest → ApigResponse instead of a handler of raw bytes. The benchmark copies the generated
// Rust output, puts this file in place of src/main.rs and builds it with the output's Makefile; it
// checks that both answer its APIG event with the same bytes.
mod fgruntime;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use fgruntime::events::{ApigRequest, ApigResponse};
use fgruntime::{Context, Error};

/// The scaffold's answer: the request's method, path, query parameters and body.
#[derive(Serialize)]
struct Echo<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a HashMap<String, String>,
    body: Cow<'a, str>,
}

fn handler(request: ApigRequest, _ctx: &Context) -> Result<ApigResponse, Error> {
    let body = request
        .decode_body()
        .map_err(|_| Error::new("the APIG request body is not valid base64"))?;
    Ok(ApigResponse::json(&Echo {
        method: &request.http_method,
        path: &request.path,
        query: &request.query_string_parameters,
        body: String::from_utf8_lossy(&body),
    })?)
}

fn main() {
    fgruntime::start_json(handler)
}
