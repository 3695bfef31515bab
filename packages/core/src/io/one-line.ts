/**
 * A message made one line: line breaks, tabs and other control characters (as JSON.parse's
 * syntax errors copy them from the text, e.g. `"{\n  "a":\n}" is not valid JSON`) are written as
 * JSON escapes (`\n`, `\t`, `\u0000`), so a CLI error stays one line and shows what was there.
 * @param text - e.g. a caught error's message
 * @returns the text with every character below U+0020, U+2028 and U+2029 escaped
 * @throws never
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * The one-line message of something caught: an Error's message, or the value as text, made one
 * line by {@link oneLine}.
 * @param error - what a `catch` received
 * @throws never
 */
export function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
