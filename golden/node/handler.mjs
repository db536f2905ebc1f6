// Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
// runtime.mjs calls `handler` once per invocation. To choose the errorType the caller sees,
// throw new HandlerError("MyApp.NotFound", "no such item") (import { HandlerError } from "./runtime.mjs");
// any other Error is reported as Function.HandlerError, a thrown value that is not an Error as Function.HandlerPanic.
import { apig, decodeApigRequestBody, isApigRequest } from "./events.mjs";
import { raw } from "./runtime.mjs";

/** JSON is UTF-8: invalid bytes (or a byte order mark) make an event that is not JSON. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Answers an API Gateway request with what it received, as JSON: its method, path, query and
 * body. Any other JSON event goes back as the body of a JSON response, as received; an event that
 * is not JSON is an error.
 *
 * A raw handler (`raw(...)`): it gets the event's bytes and returns the response's. Without
 * `raw`, a handler gets the event parsed and may return any JSON value:
 * `export async function handler(event, context) { return apig.json({ hello: "world" }); }`.
 * `context` gives the request ID (`context.requestId`), the request headers, the function's
 * settings (`context.function`), `context.getRemainingTimeInMillis()`, `context.getUserData(key)`
 * and `context.getLogger()`.
 */
export const handler = raw(async (event) => {
  /** @type {string} */
  let text;
  /** @type {unknown} */
  let parsed;
  try {
    text = UTF8.decode(event);
    parsed = JSON.parse(text);
  } catch {
    throw new Error("the event is not valid JSON");
  }
  if (!isApigRequest(parsed)) {
    // Not from API Gateway: the event, as received, is the body of a JSON response.
    return JSON.stringify(
      apig.text(text, 200, { "Content-Type": "application/json" }),
    );
  }
  /** @type {Buffer} */
  let body;
  try {
    body = decodeApigRequestBody(parsed);
  } catch {
    throw new Error("the APIG request body is not valid base64");
  }
  const answer = {
    method: parsed.httpMethod,
    path: parsed.path ?? "",
    query: parsed.queryStringParameters ?? {},
    body: body.toString("utf8"),
  };
  return JSON.stringify(apig.json(answer));
});
