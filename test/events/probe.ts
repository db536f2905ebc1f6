/**
 * The contract between test/events.test.ts and each language's event probe
 * (test/events/<lang>.ts). A probe is a small program built against a generated output that
 * decodes one trigger's sample event with the generated types and helpers, and answers what it
 * decoded, so that a test can compare it with the sample field by field.
 */
export interface ProbeResult {
  /**
   * The event as the generated type holds it, encoded back to JSON (Go, Rust: the struct
   * marshalled; Python: the parsed value projected onto the TypedDict's declared keys, recursively;
   * Node: the parsed value projected the same way through the keys the generated .d.ts declares,
   * or the value itself when the typecheck below already pins the keys). For shell, only the APIG
   * request's role fields (httpMethod, path, queryStringParameters, body, isBase64Encoded).
   */
  event: unknown;
  /**
   * What the generated decode helpers return, by trigger:
   * apig: { body: text of the decoded body };
   * dis: { data: [text of each record's decoded data] };
   * lts: { data: the decoded LtsData (as the type holds it), logs: [the decoded LtsLog values] };
   * any other trigger: {}.
   */
  decoded: Record<string, unknown>;
}

export interface Probe {
  /** The triggers this language's probe decodes (shell: just "apig"). */
  triggers: string[];
  /** Decodes `event` (the sample's JSON text) as the type of `trigger`. */
  decode(trigger: string, event: string): ProbeResult;
  /**
   * Type-checks every sample against the generated type of its trigger as a typed literal
   * (Python: mypy --strict; Node: tsc --strict against the .d.ts), where the language has a
   * static checker for its event types; throws with the checker's output when it fails.
   */
  typecheck?(samples: Record<string, string>): void;
}

/**
 * Builds a language's probe against the generated output in `outDir` (the default spec's, as
 * built by the global setup, or a mutated spec's in the mutation test), working in `workDir`.
 * A build that fails throws with the compiler's output.
 */
export type BuildProbe = (outDir: string, workDir: string) => Probe;
