// The event probe (test/events/rust.ts): replaces src/main.rs in a copy of a generated output.
// `bootstrap TRIGGER` decodes the event on stdin as the trigger's generated type and prints
// {"event": <the type encoded back to JSON>, "decoded": <what the decode helpers return>}.
#![allow(dead_code)] // The runtime's loop is not used here.
mod fgruntime;

use std::io::Read;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

#[allow(clippy::wildcard_imports)]
use fgruntime::events::*;

type Probed = Result<(Value, Map<String, Value>), Box<dyn std::error::Error>>;

fn decode<T: DeserializeOwned + Serialize>(input: &[u8]) -> Result<(T, Value), serde_json::Error> {
    let event: T = serde_json::from_slice(input)?;
    let encoded = serde_json::to_value(&event)?;
    Ok((event, encoded))
}

fn plain<T: DeserializeOwned + Serialize>(input: &[u8]) -> Probed {
    let (_, encoded) = decode::<T>(input)?;
    Ok((encoded, Map::new()))
}

fn probe(trigger: &str, input: &[u8]) -> Probed {
    let mut decoded = Map::new();
    let encoded = match trigger {
        "apig" => {
            let (event, encoded) = decode::<ApigRequest>(input)?;
            let body = event.decode_body()?;
            decoded.insert("body".into(), json!(String::from_utf8_lossy(&body)));
            encoded
        }
        "dis" => {
            let (event, encoded) = decode::<DisEvent>(input)?;
            let mut data = Vec::new();
            for record in &event.message.records {
                data.push(json!(String::from_utf8_lossy(&record.decode_data()?)));
            }
            decoded.insert("data".into(), Value::Array(data));
            encoded
        }
        "lts" => {
            let (event, encoded) = decode::<LtsEvent>(input)?;
            let data = event.lts.decode_data()?;
            decoded.insert("logs".into(), serde_json::to_value(data.decode_logs()?)?);
            decoded.insert("data".into(), serde_json::to_value(&data)?);
            encoded
        }
        // The other triggers, from the generated events.rs (test/events/rust.ts fills this in).
        // @plain-triggers
        other => return Err(format!("no such trigger: {other}").into()),
    };
    Ok((encoded, decoded))
}

fn main() {
    let trigger = std::env::args().nth(1).unwrap_or_default();
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("stdin");
    match probe(&trigger, &input) {
        Ok((event, decoded)) => println!("{}", json!({ "event": event, "decoded": decoded })),
        Err(err) => {
            eprintln!("probe {trigger}: {err}");
            std::process::exit(1);
        }
    }
}
