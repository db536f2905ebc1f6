// The Node event probe (test/events/node.ts copies it into a copy of the output): reads a
// trigger's sample event on stdin, parses it as the runtime does (JSON.parse), runs the
// generated decode helpers on it and prints what they return, with the event, as JSON.
// Usage: node probe.mjs <trigger> < sample.json
import { readFileSync } from "node:fs";
import * as events from "./events.mjs";

const trigger = process.argv[2];
const event = JSON.parse(readFileSync(0, "utf8"));
const text = (bytes) => bytes.toString("utf8");
const decoded = {};
if (trigger === "apig") {
  decoded.body = text(events.decodeApigRequestBody(event));
} else if (trigger === "dis") {
  decoded.data = event.Message.records.map((r) => text(events.decodeDisRecordData(r)));
} else if (trigger === "lts") {
  decoded.data = events.decodeLtsBodyData(event.lts);
  decoded.logs = events.decodeLtsDataLogs(decoded.data);
}
process.stdout.write(JSON.stringify({ event, decoded }));
