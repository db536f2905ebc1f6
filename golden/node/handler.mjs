// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
// runtime.mjs calls `handler` once per invocation. To choose the errorType the caller sees,
// throw new HandlerError("MyApp.NotFound", "no such item") (import { HandlerError } from "./runtime.mjs");
// any other Error is reported as Function.HandlerError, a thrown value that is not an Error as Function.HandlerPanic.

// The answer's envelope, in the shape API Gateway expects; the event goes in "body" as received.
const RESPONSE_HEAD = Buffer.from(
  '{"statusCode":200,"isBase64Encoded":false,"headers":{"Content-Type":"application/json"},"body":',
);
const RESPONSE_TAIL = Buffer.from("}");

/**
 * Answers a JSON event with the event itself wrapped in RESPONSE_HEAD and RESPONSE_TAIL; any other
 * event is an error. `context` gives the request ID (`context.requestId`), the request headers,
 * the function's settings (`context.function`) and the deadline (`context.deadline`,
 * `context.getRemainingTimeInMillis()`).
 * @param {Buffer} event the event's bytes, as received
 * @param {import("./runtime.mjs").Context} context this invocation
 * @returns {Promise<Buffer | Uint8Array | string>} the response's bytes (a string is sent as UTF-8)
 */
export async function handler(event, context) {
  try {
    JSON.parse(event.toString("utf8"));
  } catch {
    throw new Error("the event is not valid JSON");
  }
  return Buffer.concat([RESPONSE_HEAD, event, RESPONSE_TAIL]);
}
