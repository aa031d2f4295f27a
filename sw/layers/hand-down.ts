import {
  appendCacheStatus,
  conditionalMatches,
  currentAge,
  hasHeader,
  notModifiedHeaders,
  rewriteForDownstream,
  type LayerFacts,
  type LayerPolicy,
} from '../policy/index.ts';
import type { Exchange } from './exchange.ts';
import { buildResponse, headerRecord } from './http-message.ts';
import type { LayerExtras } from './layer-extras.ts';
import type { LayerCall, StepFacts, StoredAnswer } from './layer-call.ts';
import { layerResult, type LayerResult } from './layer-report.ts';

export interface HandDownOptions {
  policy: LayerPolicy;
  extras: LayerExtras;
}

/**
 * What one layer hands to the layer below (page side): a stored record served with Age and the R151
 * conditional 304, or an upstream answer passed on; both with the layer's header rewrite (R26–R34),
 * its Cache-Status member (RFC 9211), x-vercel-cache at the edge, and its decision.
 */
export class HandDown {
  constructor(private readonly options: HandDownOptions) {}

  facts(call: LayerCall, step: StepFacts): LayerFacts {
    return { layer: this.options.policy.layer.name, plan: call.plan, evaluation: call.evaluation, ...step };
  }

  /** The page-side response for a stored record: Age (R157, R33), rewrite, R151 conditional 304. */
  serveRecord(call: LayerCall, stored: StoredAnswer, step: StepFacts, forwarded: boolean, upstream?: Exchange): Exchange {
    const record = stored.meta.record;
    const age = currentAge({ initialAge: record.initialAge, responseTime: record.responseTime, now: call.deps.now() });
    const rewritten = rewriteForDownstream(this.options.policy, { headers: record.headers, ageSeconds: age, authorizedRequest: authorized(call) }).headers;
    const stale = call.evaluation?.action === 'stale-while-revalidate' || step.revalidation?.action === 'serve-stale';
    const notModified = !stale && conditionalMatches(record, call.info);
    const result = layerResult(this.facts(call, step), forwarded);
    const headers = this.finish(notModified ? notModifiedFrom(rewritten) : rewritten, result.report);
    const response = buildResponse({ status: notModified ? 304 : record.status, statusText: '', headers, body: call.info.method === 'HEAD' ? null : stored.body });
    const decisions = upstream ? [...upstream.decisions, result.decision] : [result.decision];
    return { response, decisions, originContacted: upstream?.originContacted ?? false, tags: stored.meta.tags };
  }

  /** Hands an upstream answer down: header rewrite, Cache-Status member, x-vercel-cache, decision. */
  passDown(call: LayerCall, upstream: Exchange, step: StepFacts): Exchange {
    const response = upstream.response;
    const result = layerResult(this.facts(call, step), true);
    const decisions = [...upstream.decisions, result.decision];
    if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') return { ...upstream, decisions };
    const rewritten = rewriteForDownstream(this.options.policy, { headers: headerRecord(response.headers), authorizedRequest: authorized(call) }).headers;
    const headers = this.finish(rewritten, result.report);
    const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers, body: response.body });
    return { ...upstream, response: rebuilt, decisions };
  }

  /** The rewritten headers are this call's own copy: the member is added in place, not copied again. */
  private finish(headers: Record<string, string>, report: LayerResult['report']): Record<string, string> {
    headers['cache-status'] = appendCacheStatus(headers['cache-status'], report.cacheStatus);
    return this.options.extras.finish(headers, report);
  }
}

/** RFC 9111 §3.5: the answer is to a request with Authorization (the edge's default must not share it). */
function authorized(call: LayerCall): boolean {
  return hasHeader(call.info.headers, 'authorization');
}

/**
 * R152 fields plus what a cache serving a stored response adds: `Age` (RFC 9111 §5.1, so a layer below
 * merging this 304 keeps the age penalty, R33) and the Cache-Status members so far (RFC 9211 §2).
 */
function notModifiedFrom(headers: Record<string, string>): Record<string, string> {
  const out = notModifiedHeaders(headers);
  for (const name of ['age', 'cache-status']) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
