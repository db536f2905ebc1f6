// The conformance suite's test handler (replaces the scaffold's handler.mjs in a copy of the build).
// The event chooses what it does: {"op":"throw"}, {"op":"typed"}, {"op":"panic"}, {"op":"exit"},
// {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}; anything else is echoed as is.
import { inspect } from "node:util";
import { HandlerError } from "./runtime.mjs";

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

export async function handler(event, context) {
  switch (field(event, "op")) {
    case "throw":
      throw new Error("thrown by the test handler");
    case "typed":
      throw new HandlerError("Test.CustomError", "typed by the test handler");
    case "panic":
      // A thrown value that is not an Error: the runtime's "panic".
      throw "panicked in the test handler";
    case "exit":
      process.exit(3);
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
        ["securityToken", context.securityToken],
        ["projectId", f.projectId],
        ["functionName", f.functionName],
        ["functionVersion", f.functionVersion],
        ["package", f.package],
        ["handler", f.handler],
        ["timeoutSeconds", f.timeoutSeconds],
        ["userData", f.userData],
        ["cpu", f.cpu],
        ["memoryMb", f.memoryMb],
        ["codeRoot", f.codeRoot],
        ["remainingMs", context.getRemainingTimeInMillis()],
      ];
      return pairs.map(([k, v]) => `${k}\t${v}\n`).join("");
    }
    case "log":
      // The language's ordinary ways of printing the context: secrets must not show.
      console.log("context:", context);
      console.error("context: %o", context);
      console.log(`context: ${JSON.stringify(context)} ${inspect({ ...context })}`);
      return "logged";
  }
  return event;
}
