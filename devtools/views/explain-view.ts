/**
 * What each layer does with one response, as the policy engine's explain() computes it (the code the
 * worker runs; nothing is re-decided here): the header that won, the effective TTL and stale windows,
 * what is stripped before the next layer, warnings, and the headers the page finally receives.
 */
import type { Explanation, LayerExplanation, PolicyWarning } from '../../sw/policy/index.ts';
import { formatSeconds, h } from '../dom.ts';
import { layerTitles } from '../narrate.ts';

const canonical: Record<string, string> = {
  'vercel-cdn-cache-control': 'Vercel-CDN-Cache-Control',
  'cdn-cache-control': 'CDN-Cache-Control',
  'cache-control': 'Cache-Control',
  'vercel-cache-tag': 'Vercel-Cache-Tag',
};

const sourceText: Record<string, string> = {
  's-maxage': 'from s-maxage',
  'max-age': 'from max-age',
  expires: 'from Expires',
  heuristic: 'heuristic (RFC 9111 §4.2.2)',
  static: 'static file: the deployment’s lifetime (R48)',
  none: '',
};

/** The flow origin → layer cards → page for one explain() result. `originHeaders` are the headers it explained. */
export function explanationView(result: Explanation, originHeaders: Readonly<Record<string, string>>, originLabel = 'Origin sends'): HTMLElement[] {
  const layerWarnings = new Set(result.layers.flatMap((l) => l.warnings));
  const general = result.warnings.filter((w) => !layerWarnings.has(w));
  return [
    h('div', { class: 'flow' },
      h('div', { class: 'flow-origin' }, h('span', { class: 'muted' }, originLabel), headerBlock(lower(originHeaders))),
      h('div', { class: 'cards' }, result.layers.map(layerCard)),
      h('div', { class: 'flow-page', 'data-testid': 'explain-page' }, h('span', { class: 'muted' }, 'The page receives'), headerBlock(result.pageHeaders))),
    ...(general.length ? [h('ul', { class: 'warnings' }, general.map(warningItem))] : []),
  ];
}

function layerCard(layer: LayerExplanation): HTMLElement {
  const winner = layer.winner ? canonical[layer.winner] ?? layer.winner : null;
  const verdict = layer.stored
    ? h('span', { class: 'badge ok' }, 'stores')
    : h('span', { class: 'badge no', title: layer.rule }, `not stored: ${layer.notStoredReason ?? ''}`);
  const source = sourceText[layer.lifetimeSource] ?? '';
  const windows: [string, string][] = [
    ['TTL', layer.stored || layer.ttl > 0 ? exact(layer.ttl) : '—'],
    ['stale-while-revalidate', layer.staleWhileRevalidate ? exact(layer.staleWhileRevalidate) : '—'],
    ['stale-if-error', layer.staleIfError ? exact(layer.staleIfError) : '—'],
  ];
  const flags = [layer.mustRevalidate && 'must-revalidate', layer.noCache && 'no-cache', layer.immutable && 'immutable'].filter(Boolean) as string[];
  const removed = [
    ...layer.removedHeaders.map((name) => `header ${canonical[name] ?? name}`),
    ...layer.strippedDirectives.map((d) => `directive ${d}`),
  ];
  return h(
    'article',
    { class: `layer-card ${layer.stored ? 'stores' : 'skips'}`, 'data-testid': `explain-${layer.layer}`, 'data-winner': winner ?? '', 'data-stored': String(layer.stored) },
    h('header', {}, h('h3', {}, layerTitles[layer.layer]), verdict, h('p', { class: 'rule-line' }, h('span', { class: 'rule' }, layer.rule), ' ', layer.stored ? 'storage allowed' : `not stored (${layer.notStoredReason ?? 'unknown'})`)),
    h('div', { class: 'card-main' },
      h('p', { class: 'winner', 'data-testid': `explain-winner-${layer.layer}` },
        winner ? [h('span', { class: 'muted' }, 'obeys'), h('code', {}, winner), layer.winnerValue ? h('code', { class: 'value' }, layer.winnerValue) : null] : h('span', { class: 'muted' }, 'no cache header applies')),
      h('p', { class: 'summary', 'data-testid': `explain-summary-${layer.layer}` }, summary(layer)),
      layer.ignored.map((i) => h('p', { class: 'ignored' }, `ignored ${canonical[i.header] ?? i.header}: ${i.reason === 'parse-error' ? 'parse error' : 'empty'} (R3)`, i.detail ? ` – ${i.detail}` : '')),
      flags.length ? h('p', { class: 'flags' }, flags.map((f) => h('span', { class: 'tag' }, f))) : null,
      removed.length || layer.replacedWithDefault
        ? h('div', { class: 'stripped', 'data-testid': `explain-stripped-${layer.layer}` }, h('span', { class: 'muted' }, 'strips before passing it on:'),
            removed.map((r) => h('span', { class: 'strip' }, `− ${r}`)),
            layer.replacedWithDefault ? h('span', { class: 'strip' }, 'Cache-Control → public, max-age=0, must-revalidate (R30)') : null)
        : null,
      layer.warnings.length ? h('ul', { class: 'warnings' }, layer.warnings.map(warningItem)) : null),
    h('dl', { class: 'windows' }, windows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v, k === 'TTL' && source && v !== '—' ? h('small', {}, source) : null)])),
  );
}

/** The card in one plain sentence, e.g. "Keeps it 1 s, then serves it stale for up to 59 s while refreshing." */
function summary(layer: LayerExplanation): string {
  if (!layer.stored) return `Does not store it (${layer.notStoredReason ?? 'not storable'}, ${layer.rule}): every request goes on.`;
  if (layer.lifetimeSource === 'static') return 'Keeps it for the whole deployment (static file).';
  const fresh = layer.ttl > 0 ? `Keeps it ${exact(layer.ttl)}` : 'Stores it but it is stale at once';
  const then = layer.noCache || layer.ttl === 0
    ? (layer.mustRevalidate || layer.noCache ? ', so it must revalidate with upstream before every use.' : '.')
    : layer.staleWhileRevalidate > 0
      ? `, then serves it stale for up to ${exact(layer.staleWhileRevalidate)} while refreshing in the background.`
      : layer.immutable
        ? ' and never revalidates it while fresh (immutable).'
        : ', then asks upstream again.';
  return fresh + then;
}

/** Exact seconds (what the headers say), with a human reading for long ones: "3600 s (1 h)". */
function exact(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${seconds} s (${formatSeconds(seconds)})`;
}

function warningItem(warning: PolicyWarning): HTMLElement {
  return h('li', { class: 'warning', 'data-code': warning.code }, h('span', { class: 'rule' }, warning.rule), ' ', warning.message);
}

function headerBlock(headers: Readonly<Record<string, string>>): HTMLElement {
  const lines = Object.entries(headers).filter(([name]) => name !== 'content-type');
  return h('pre', { class: 'headers' }, lines.length ? lines.map(([n, v]) => `${canonical[n] ?? n}: ${v}`).join('\n') : '(no cache headers)');
}

function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
}
