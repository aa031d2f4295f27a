import type { LayerDecision, LayerOutcome } from '../../sdk/protocol.ts';
import { reportLayer, type LayerFacts, type LayerReport } from '../policy/index.ts';

/**
 * What one layer did, as the page sees it: the policy's report (Cache-Status member, x-vercel-cache,
 * reason; sw/policy report.ts owns that mapping) plus the decision record for onDecision.
 */
export interface LayerResult {
  report: LayerReport;
  decision: LayerDecision;
}

export function layerResult(facts: LayerFacts, forwarded: boolean): LayerResult {
  const report = reportLayer(facts);
  const stored = facts.stored ?? (facts.revalidation?.action === 'update' ? facts.revalidation.keep : facts.storage?.storable ?? false);
  return {
    report,
    decision: { layer: facts.layer, outcome: outcomeOf(facts), reason: facts.collapsed ? 'collapsed' : report.reason, forwarded, stored },
  };
}

/** The coarse outcome shown per layer in decision records (the demo's timeline). */
function outcomeOf(facts: LayerFacts): LayerOutcome {
  if (facts.storageError) return 'error';
  if (facts.plan.action !== 'lookup') return 'bypass';
  const revalidation = facts.revalidation;
  if (revalidation) {
    if (revalidation.action === 'serve-stale') return 'stale';
    if (revalidation.action === 'update' || revalidation.action === 'replace' || revalidation.action === 'delete') return 'revalidated';
    return 'miss';
  }
  const evaluation = facts.evaluation;
  if (evaluation?.action === 'fresh') return evaluation.stale ? 'stale' : 'hit';
  if (evaluation?.action === 'stale-while-revalidate') return 'stale';
  return 'miss';
}
