#!/usr/bin/env node
// A minimal stand-in for a runtime, for the emulator's own tests (independent of the templates).
// Events: {"sleep":MS} waits then answers "slept"; {"exit":CODE} exits; {"env":"NAME"} answers
// with that variable; {"header":"name"} with that request header; {"fail":"msg"} posts an error;
// anything else is echoed. FAKE_IGNORE_TERM=1 ignores SIGTERM; FAKE_EXIT_AT_START=N exits at once.
import http from "node:http";

if (process.env.FAKE_EXIT_AT_START) process.exit(Number(process.env.FAKE_EXIT_AT_START));
if (process.env.FAKE_IGNORE_TERM) process.on("SIGTERM", () => console.error("fake: ignoring SIGTERM"));

const [host, port] = (process.env.RUNTIME_API_ADDR ?? "").split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path, agent, headers: body ? { "content-length": body.length } : {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

for (;;) {
  let next;
  try {
    next = await request("GET", "/v1/runtime/invocation/request");
  } catch {
    await new Promise((r) => setTimeout(r, 50));
    continue;
  }
  const id = next.headers["x-cff-request-id"];
  if (next.status !== 200 || !id) continue;
  let event = {};
  try {
    event = JSON.parse(next.body.toString());
  } catch {}
  let kind = "response";
  let out = next.body;
  if (event.sleep) {
    await new Promise((r) => setTimeout(r, event.sleep));
    out = Buffer.from("slept");
  } else if (event.exit !== undefined) {
    process.exit(event.exit);
  } else if (event.env) {
    out = Buffer.from(process.env[event.env] ?? "<unset>");
  } else if (event.header) {
    out = Buffer.from(String(next.headers[event.header] ?? "<unset>"));
  } else if (event.fail) {
    kind = "error";
    out = Buffer.from(JSON.stringify({ errorType: "Fake.Error", errorMessage: event.fail }));
  }
  try {
    await request("POST", `/v1/runtime/invocation/${kind}/${id}`, out);
  } catch (err) {
    console.error(`fake: posting failed: ${err.message}`);
  }
}
