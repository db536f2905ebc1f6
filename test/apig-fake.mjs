#!/usr/bin/env node
// A stand-in for an APIG function, for the tests of `emulate --apig` (independent of the templates).
// The APIG request's body (base64, as the emulator sends it) is a JSON command:
//   {"respond": TEXT}  posts TEXT as the response, byte for byte (valid or not)
//   {"event": true}    answers 200 with the APIG request event itself as the body
//   {"fail": MSG}      posts an error; {"sleep": MS} waits, then answers "slept"; {"exit": N} exits
//   {"waitFor": FILE}  says so on stderr, answers once FILE exists
//   anything else      answers as the default scaffold does (docs/events-contract.md): 200, JSON
//                      {method, path, query, body}, plus the header X-Fake-Version: VERSION
import { existsSync } from "node:fs";
import http from "node:http";

const VERSION = "v1";
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

const json = (value, status = 200) =>
  JSON.stringify({ statusCode: status, isBase64Encoded: false, headers: { "Content-Type": "application/json", "X-Fake-Version": VERSION }, body: JSON.stringify(value) });

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
  const event = JSON.parse(next.body.toString());
  const text = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8").toString();
  let command = {};
  try {
    command = JSON.parse(text);
  } catch {}
  let kind = "response";
  let out;
  if (typeof command.respond === "string") out = command.respond;
  else if (command.event) out = JSON.stringify({ statusCode: 200, isBase64Encoded: false, headers: {}, body: next.body.toString() });
  else if (command.fail) {
    kind = "error";
    out = JSON.stringify({ errorType: "Fake.Error", errorMessage: command.fail });
  } else if (command.sleep) {
    await new Promise((r) => setTimeout(r, command.sleep));
    out = json("slept");
  } else if (command.waitFor) {
    console.error(`fake: waiting for ${command.waitFor}`);
    while (!existsSync(command.waitFor)) await new Promise((r) => setTimeout(r, 20));
    out = json("waited");
  } else if (command.exit !== undefined) process.exit(command.exit);
  else out = json({ method: event.httpMethod, path: event.path, query: event.queryStringParameters ?? {}, body: text });
  try {
    await request("POST", `/v1/runtime/invocation/${kind}/${id}`, Buffer.from(out));
  } catch (err) {
    console.error(`fake: posting failed: ${err.message}`);
  }
}
