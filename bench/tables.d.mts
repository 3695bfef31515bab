// Types of tables.mjs, for the tests written in TypeScript.
export interface RoundsResult {
  names: Record<string, string>;
  python: string | undefined;
  rounds: number;
  values: Record<string, Record<string, (number | { p50: number; p99: number })[]>>;
}
export function roundsMarkdown(result: RoundsResult, note: string): string;
