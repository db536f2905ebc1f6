// Spelling rules shared by the spec's validation and the targets (kept apart so that neither
// imports the other).

/** lowerCamelCase or PascalCase (or a JSON key such as `ShardID`) to snake_case. */
export function snake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
}

export function camelToPascal(camel: string): string {
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** The words of a name in any of the spec's spellings: `event_subscription_urn`, `ShardID`, `eTag`. */
export function words(name: string): string[] {
  return snake(name).split("_").filter(Boolean);
}
