/**
 * The one table `npm run bench` ends with: every part returns its headline rows (ours and each peer measured in
 * the same run, their ratio, the goal and the method in a few words) and run.ts prints them together.
 */
export interface SummaryRow {
  readonly figure: string;
  readonly ours: string;
  /** The peer and its figure in the same run, or '—' where there is no peer. */
  readonly peer: string;
  /** ours : peer, in the unit of the figure (below 1 is smaller/faster when smaller is better). */
  readonly ratio: string;
  readonly goal: string;
  readonly method: string;
}

/** A part's printed text and its summary rows (parts that have no headline yet return only text). */
export type PartResult = string | { readonly text: string; readonly rows: readonly SummaryRow[] };

const COLUMNS = ['figure', 'ours', 'peer', 'ratio', 'goal', 'method'] as const;

export function formatSummary(rows: readonly SummaryRow[]): string {
  const widths = COLUMNS.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((row) => line(COLUMNS.map((c) => row[c])))].join('\n');
}

export const ratio = (ours: number, peer: number): string => (Number.isFinite(ours / peer) ? `${(ours / peer).toFixed(2)}×` : '—');
