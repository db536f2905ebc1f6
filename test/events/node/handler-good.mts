// A user's handler in TypeScript, against the generated declaration files (test/lint-node.test.ts
// copies it into the output as handler.mts and runs tsc --strict): it must type-check.
import { apig, decodeApigRequestBody, isApigRequest, type ApigRequest, type ApigResponse, type TriggerEvents } from "./events.mjs";
import { HandlerError, raw, type Context, type Handler } from "./runtime.mjs";

export const handler: Handler<ApigRequest, ApigResponse> = async (event, context) => {
  const logger = context.getLogger();
  logger.info("%s %s", event.httpMethod, event.path);
  const tenant: string | undefined = context.getUserData("tenant");
  const remaining: number = context.getRemainingTimeInMilliSeconds();
  if (event.queryStringParameters.fail === "1") throw new HandlerError("App.Failed", "asked to fail");
  const body = decodeApigRequestBody(event).toString("utf8");
  return apig.json({ body, tenant, remaining, id: context.requestId, source: event.requestContext.sourceIp }, 201, { "X-App": "1" });
};

export const bytes = raw(async (event: Buffer, context: Context) => {
  const parsed: unknown = JSON.parse(event.toString("utf8"));
  if (isApigRequest(parsed)) return JSON.stringify(apig.text(parsed.httpMethod));
  return Buffer.from(context.requestId);
});

export async function onObs(event: TriggerEvents["obs"]): Promise<string[]> {
  return event.Records.map((r) => `${r.s3.bucket.name}/${r.s3.object.key} (${r.s3.object.size} bytes)`);
}
