// A user's handler in TypeScript with two mistakes tsc --strict must find against the generated
// declaration files (test/lint-node.test.ts): a misspelt event field and a wrong return type.
import { apig, type ApigRequest, type ApigResponse } from "./events.mjs";
import type { Handler } from "./runtime.mjs";

export const handler: Handler<ApigRequest, ApigResponse> = async (event) => {
  if (event.httpMethd === "GET") return apig.text("hello");
  return { statusCode: "200", isBase64Encoded: false, headers: {}, body: "" };
};
