/**
 * The header playground: for the draft in the editor, what each layer does with the response, as the
 * policy engine's explain() computes it (the same engine the worker runs). The rendering is the
 * devtools' explanation view; this file only turns the draft into explain()'s input.
 */
import type { LayerName } from '../../sdk/index.ts';
import { explain, type Explanation } from '../../sw/policy/index.ts';
import { explanationView, h, replace } from '../../devtools/views.ts';
import { etagFor, ORIGIN_PREFIX, responseHeaders, routeUrl, sendsEtag } from '../session/origin-client.ts';
import type { RouteDraft } from '../types.ts';

export function explainPanel(): { element: HTMLElement; show: (draft: RouteDraft, layers: LayerName[]) => void } {
  const element = h('div', { class: 'explain', 'data-testid': 'explain' });
  const show = (draft: RouteDraft, layers: LayerName[]) => {
    let result: Explanation;
    try {
      result = explain(originHeaders(draft), {
        method: draft.method,
        url: routeUrl(draft.path),
        requestHeaders: Object.fromEntries(Object.entries(draft.requestHeaders).filter(([, v]) => v.trim() !== '')),
        status: draft.status,
        bodySize: draft.bodyBytes,
        layers,
        flags: { staticPathPrefixes: [`${ORIGIN_PREFIX}static/`] },
      });
    } catch (error) {
      replace(element, h('p', { class: 'bad' }, `explain() failed: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    replace(element, explanationView(result, originHeaders(draft)));
  };
  return { element, show };
}

/** The headers the origin sends for the draft, validators included (they decide whether a layer keeps a 0 s copy). */
function originHeaders(draft: RouteDraft): Record<string, string> {
  const headers = responseHeaders(draft);
  if (sendsEtag(draft)) headers.ETag = etagFor(draft);
  return headers;
}
