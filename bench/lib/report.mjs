// Turns the collected rounds into rows (median, min–max), same-round ratios and target verdicts, then
// into a text table for stdout and a Markdown table for the README.
import { median, summarize } from './stats.mjs';
import { COMPARISONS, peerOf } from './targets.mjs';

const UNITS = { kv: 'µs/op', tags: 'ms', http: 'ms', cold: 'ms', prop: 'ms', size: 'bytes', feed: 'ms', stream: 'ms' };
const FEED_COST_UNITS = { 'memory-per-tab': 'bytes', 'cpu-per-event': 'µs/tab' };
export const unitOf = (row) => (row.startsWith('feed.server.') ? FEED_COST_UNITS[row.split('.')[2]] : row.startsWith('stream.memory.') ? 'MiB' : UNITS[row.split('.')[0]]) ?? '';

/** HTTP, cold-start and stream timing samples arrive in µs; they read better in ms. */
const scale = (row, value) => (row.startsWith('http.') || row.startsWith('cold.') || (row.startsWith('stream.') && !row.startsWith('stream.memory.')) ? value / 1000 : value);

/** Ratios of `row` to `peer` over the rounds where both were measured. */
function roundRatios(samples, row, peer) {
  const a = samples.get(row) ?? new Map();
  const b = samples.get(peer) ?? new Map();
  const ratios = [];
  for (const [round, value] of a) if (b.has(round) && b.get(round) > 0) ratios.push(value / b.get(round));
  return ratios;
}

/**
 * @param {{ samples: Map<string, Map<number, number>>, unavailable: Map<string, string>, targets: any[] }} input
 */
export function buildReport({ samples, unavailable, targets }) {
  const rows = [];
  for (const [row, byRound] of samples) {
    const summary = summarize([...byRound.values()].map((v) => scale(row, v)));
    const peer = peerOf(row);
    const ratios = peer ? roundRatios(samples, row, peer) : [];
    rows.push({ row, unit: unitOf(row), ...summary, peer: ratios.length ? peer : null, ratio: ratios.length ? summarize(ratios) : null });
  }
  for (const [row, reason] of unavailable) if (!samples.has(row)) rows.push({ row, unit: unitOf(row), unavailable: reason });
  rows.sort((x, y) => x.row.localeCompare(y.row, 'en', { numeric: true }));

  const verdicts = targets.map((target) => {
    if (target.kind === 'ratio') {
      const ratios = roundRatios(samples, target.row, target.peer);
      if (!ratios.length) return { ...target, status: 'not measured', reason: unavailable.get(target.row) ?? unavailable.get(target.peer) ?? 'no samples' };
      const value = median(ratios);
      return { ...target, value, range: [Math.min(...ratios), Math.max(...ratios)], status: value <= target.max ? 'met' : 'not met' };
    }
    const values = [...(samples.get(target.row)?.values() ?? [])];
    if (!values.length) return { ...target, status: 'not measured', reason: unavailable.get(target.row) ?? 'no samples' };
    const value = median(values);
    return { ...target, value, range: [Math.min(...values), Math.max(...values)], status: value <= target.max ? 'met' : 'not met' };
  });
  const comparisons = COMPARISONS.flatMap(({ what, row, peer }) => {
    const ratios = roundRatios(samples, row, peer);
    return ratios.length ? [{ what, row, peer, value: median(ratios), range: [Math.min(...ratios), Math.max(...ratios)] }] : [];
  });
  return { rows, verdicts, comparisons };
}

const fmt = (value) => {
  if (value === undefined || value === null) return '';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const range = (s) => `${fmt(s.min)}–${fmt(s.max)}`;
const ratioCell = (r) => (r.ratio ? `${fmt(r.ratio.median)}× (${range(r.ratio)}) vs ${r.peer}` : '');

function pad(cells, widths) {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

function textTable(header, body) {
  const widths = header.map((_, i) => Math.max(header[i].length, ...body.map((cells) => cells[i].length)));
  return [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map((cells) => pad(cells, widths))].join('\n');
}

function markdownTable(header, body) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join('\n');
}

const rowCells = (r) =>
  r.unavailable ? [r.row, r.unit, 'not available', '', r.unavailable] : [r.row, r.unit, fmt(r.median), range(r), ratioCell(r)];

const verdictCells = (v) => [
  v.what,
  v.kind === 'ratio' ? `≤ ${v.max}× ${v.peer}` : `≤ ${v.max} ${v.unit}`,
  v.value === undefined ? '' : v.kind === 'ratio' ? `${fmt(v.value)}× (${fmt(v.range[0])}–${fmt(v.range[1])})` : `${fmt(v.value)} ${v.unit}`,
  v.status + (v.reason ? ` (${v.reason})` : ''),
];

const comparisonCells = (c) => [c.what, `${c.row} ÷ ${c.peer}`, `${fmt(c.value)}× (${fmt(c.range[0])}–${fmt(c.range[1])})`];

const ROW_HEADER = ['row', 'unit', 'median', 'min–max', 'tiercache ÷ peer, same round: median (min–max)'];
const VERDICT_HEADER = ['target', 'bound', 'measured', 'status'];
const COMPARISON_HEADER = ['comparison (no bound)', 'rows', 'same round: median (min–max)'];

export function renderText({ rows, verdicts, comparisons = [] }) {
  const compared = comparisons.length ? `\n\nComparisons\n${textTable(COMPARISON_HEADER, comparisons.map(comparisonCells))}` : '';
  return `${textTable(ROW_HEADER, rows.map(rowCells))}\n\nTargets (performance.md)\n${textTable(VERDICT_HEADER, verdicts.map(verdictCells))}${compared}`;
}

export function renderMarkdown({ rows, verdicts, comparisons = [] }) {
  const compared = comparisons.length ? `\n\n${markdownTable(COMPARISON_HEADER, comparisons.map(comparisonCells))}` : '';
  return `${markdownTable(VERDICT_HEADER, verdicts.map(verdictCells))}${compared}\n\n${markdownTable(ROW_HEADER, rows.map(rowCells))}`;
}
