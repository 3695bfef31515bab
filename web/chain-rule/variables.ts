import { ConfigError } from '../../packages/core/src/browser.js';
import { parseNumber } from '../../packages/core/src/data/columns.js';

/**
 * Reads the variables typed on the chain-rule page: `name = number` pairs separated by commas,
 * semicolons or line breaks, e.g. "r = 3, s = −2" (a typographic minus − is read as -).
 * @returns the values by name, in an object without prototype
 * @throws {ConfigError} naming the first part that is not `name = number`
 */
export function parseVariables(text: string): Record<string, number> {
  const values = Object.create(null) as Record<string, number>;
  for (const part of text.split(/[,;\n]/)) {
    if (part.trim() === '') continue;
    const match = /^\s*([A-Za-z_]\w*)\s*=\s*(\S+)\s*$/.exec(part.replace(/\u2212/g, '-'));
    // The library's reader of a decimal number (as `--var`): no 0x10, 0b1, Infinity, 1e999.
    const value = match === null ? undefined : parseNumber(match[2]);
    if (value === undefined) {
      throw new ConfigError(
        `variables: expected name = number, e.g. r = 3; received "${part.trim()}"`,
      );
    }
    values[match![1]!] = value;
  }
  return values;
}

/** The variables as the page writes them: "r = 3, s = -2". */
export function formatVariables(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name} = ${value}`)
    .join(', ');
}
