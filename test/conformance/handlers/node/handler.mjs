// The conformance suite's test handler (replaces the scaffold's handler.mjs in a copy of the build).
// Raw by default: the event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"},
// {"op":"exit"}, {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}, {"op":"deep"} (an Error
// 100 calls down), {"op":"logbig","bytes":N}; anything else is echoed as is. A shutdown hook
// writes a line to stderr.
// With FG_TEST_MODE=json it is a JSON handler with the ops of docs/events-contract.md: echo,
// unserialisable, apig-json, apig-text, apig-binary, apig-decode, context, logger.
import { inspect } from "node:util";
import { apig, decodeApigRequestBody } from "./events.mjs";
import { HandlerError, onShutdown, raw } from "./runtime.mjs";

onShutdown(() => {
  process.stderr.write("test handler: shutdown hook ran\n");
});

/** Calls itself `depth` times, then throws. */
function deep(depth) {
  if (depth === 0) throw new Error("thrown 100 calls deep");
  deep(depth - 1);
}

/** Finds "name": in the event and returns its string or bare value (no JSON parser). */
function field(event, name) {
  const text = event.toString("utf8");
  const key = `"${name}":`;
  const i = text.indexOf(key);
  if (i < 0) return "";
  let rest = text.slice(i + key.length).replace(/^ +/, "");
  if (rest.startsWith('"')) {
    const j = rest.indexOf('"', 1);
    return j > 0 ? rest.slice(1, j) : "";
  }
  for (const stop of [",", "}"]) {
    const j = rest.indexOf(stop);
    if (j >= 0) rest = rest.slice(0, j);
  }
  return rest.trim();
}

const rawHandler = raw(async (event, context) => {
  switch (field(event, "op")) {
    case "throw":
      throw new Error("thrown by the test handler");
    case "typed":
      throw new HandlerError("Test.CustomError", "typed by the test handler");
    case "panic":
      // A thrown value that is not an Error: the runtime's "panic". Error-like (a message and a
      // stack, as some libraries throw), so that its frames are known.
      throw { message: "panicked in the test handler", stack: new Error("panicked in the test handler").stack };
    case "exit":
      process.exit(3);
    case "deep":
      deep(100);
      return "unreachable";
    case "logbig":
      context.getLogger().info("ü€😀x".repeat(Number(field(event, "bytes")) / 10));
      return "logged";
    case "sleep":
      await new Promise((r) => setTimeout(r, Number(field(event, "ms"))));
      return "slept";
    case "context": {
      const f = context.function;
      const pairs = [
        ["requestId", context.requestId],
        ["accessKey", context.accessKey],
        ["authToken", context.authToken],
        ["invokeType", context.invokeType],
        ["secretKey", context.secretKey],
        ["securityAccessKey", context.securityAccessKey],
        ["securitySecretKey", context.securitySecretKey],
        ["securityToken", context.securityToken],
        // Every setting, named by the spec's field.
        ...Object.entries(f),
        ["remainingMs", context.getRemainingTimeInMillis()],
      ];
      return pairs.map(([k, v]) => `${k}\t${v}\n`).join("");
    }
    case "log":
      // The language's ordinary ways of printing the context: secrets must not show.
      console.log("context:", context);
      console.error("context: %o", context);
      console.log(`context: ${JSON.stringify(context)} ${inspect({ ...context })}`);
      context.getLogger().info("context: %o", context);
      return "logged";
  }
  return event;
});

/** The context's methods that are not the built-in runtimes' getters of a header or a setting. */
const NOT_GETTERS = new Set(["getRemainingTimeInMillis", "getRemainingTimeInMilliSeconds", "getUserData", "getLogger"]);

async function jsonHandler(event, context) {
  switch (event?.op) {
    case "echo":
      // A string a JSON handler returns is sent as it is (docs/events-contract.md): the echo of
      // a string value sends its JSON text, as the echo of any other value does.
      return typeof event.value === "string" ? JSON.stringify(event.value) : event.value;
    case "unserialisable":
      return { n: 1n };
    case "apig-json":
      return apig.json({ ok: true, n: [1, 2] }, 201);
    case "apig-text":
      return apig.text("grüße ✓");
    case "apig-binary":
      return apig.binary(Uint8Array.from({ length: 256 }, (_, i) => i));
    case "apig-decode":
      return { body: decodeApigRequestBody(event.event).toString("hex") };
    case "context": {
      const names = Object.getOwnPropertyNames(Object.getPrototypeOf(context)).filter((n) => /^get[A-Z]/.test(n) && !NOT_GETTERS.has(n));
      const out = Object.fromEntries(names.map((n) => [n, context[n]()]));
      return { ...out, userData: context.getUserData("msg") ?? null, missing: context.getUserData("nope") ?? null };
    }
    case "logger": {
      const logger = context.getLogger();
      logger.info("hello from the context logger");
      logger.warn("careful");
      return "logged";
    }
  }
  throw new Error(`unknown op ${JSON.stringify(event?.op)}`);
}

export const handler = process.env.FG_TEST_MODE === "json" ? jsonHandler : rawHandler;
