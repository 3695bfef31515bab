// Types of stats.mjs, for the tests written in TypeScript.
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}
export function median(values: readonly number[]): number;
export function summary(values: readonly number[]): Summary;
export function percentile(values: readonly number[], p: number): number;
export function ratioSummary(a: readonly number[], b: readonly number[]): Summary;
export function best(...lists: (readonly number[])[]): number[];
export function formatNumber(value: number | undefined | null, digits?: number): string;
export function formatSummary(s: Summary | undefined, digits?: number, unit?: string): string;
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string;
export function flopPerExample(layers: readonly number[], training: boolean): number;
