import type { RatioSummary } from "./report.ts";

/** The q-quantile (0 ≤ q ≤ 1) of `values`, linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile of an empty list");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The order of the contestants in round `round`: odd rounds run the reverse of the even ones (A B C,
 * then C B A), and every pair of rounds rotates by one, so each contestant runs first, last and in
 * between as often as the others.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const base = round % 2 === 1 ? [...items].reverse() : [...items];
  const shift = Math.floor(round / 2) % n;
  return [...base.slice(shift), ...base.slice(0, shift)];
}

/** Median, quartiles and range of `values`, each divided by `scale` (a floor's median, or 1). */
export function spread(values: readonly number[], scale = 1): RatioSummary {
  return {
    median: median(values) / scale,
    p25: quantile(values, 0.25) / scale,
    p75: quantile(values, 0.75) / scale,
    min: Math.min(...values) / scale,
    max: Math.max(...values) / scale,
  };
}
