/**
 * The header editor: the origin route's response headers (the three cache headers, Vary, tags),
 * status and body, plus the request the page sends. Every control is a labelled native input, so
 * the form is keyboard usable as is. Edits call `onEdit` with a new draft; nothing is sent here.
 */
import { h, replace } from '../../devtools/views.ts';
import type { OriginFailure, RouteDraft } from '../types.ts';

type TextField = 'cacheControl' | 'cdnCacheControl' | 'vercelCdnCacheControl' | 'vary' | 'tags' | 'setCookie';

const responseFields: { field: TextField; label: string; hint: string; placeholder: string }[] = [
  { field: 'cacheControl', label: 'Cache-Control', hint: 'browser; edge via s-maxage', placeholder: 'e.g. s-maxage=1, stale-while-revalidate=59' },
  { field: 'cdnCacheControl', label: 'CDN-Cache-Control', hint: 'edge and downstream CDNs', placeholder: 'e.g. max-age=60' },
  { field: 'vercelCdnCacheControl', label: 'Vercel-CDN-Cache-Control', hint: 'Vercel’s edge only', placeholder: 'e.g. max-age=3600' },
  { field: 'vary', label: 'Vary', hint: 'extra cache-key headers', placeholder: 'e.g. X-Vercel-IP-Country' },
  { field: 'tags', label: 'Vercel-Cache-Tag', hint: 'for purges by tag', placeholder: 'e.g. blog, post-1' },
  { field: 'setCookie', label: 'Set-Cookie', hint: 'sent as x-demo-set-cookie (P1)', placeholder: 'e.g. session=abc' },
];

const requestFields = ['Authorization', 'Range', 'Accept-Language'];

export function headerEditor(onEdit: (draft: RouteDraft) => void): { element: HTMLElement; show: (draft: RouteDraft) => void } {
  const element = h('form', { class: 'editor', 'data-testid': 'header-editor', onsubmit: (e: Event) => e.preventDefault() });
  let current: RouteDraft | undefined;
  const edit = (patch: Partial<RouteDraft>) => {
    if (!current) return;
    current = { ...current, ...patch };
    onEdit(current);
  };

  const show = (draft: RouteDraft) => {
    current = draft;
    replace(
      element,
      h('fieldset', {}, h('legend', {}, 'Origin response'),
        responseFields.map(({ field, label, hint, placeholder }) =>
          h('label', { class: 'field' }, h('span', { class: 'label' }, label, h('small', {}, hint)),
            h('input', { type: 'text', value: draft[field], placeholder, spellcheck: false, autocomplete: 'off', 'data-testid': `edit-${field}`,
              oninput: (e: Event) => edit({ [field]: (e.target as HTMLInputElement).value }) }))),
        h('div', { class: 'row3' },
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'Status'),
            h('input', { type: 'number', min: 100, max: 599, value: String(draft.status), 'data-testid': 'edit-status',
              oninput: (e: Event) => edit({ status: Number((e.target as HTMLInputElement).value) || 200 }) })),
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'Body bytes'),
            h('input', { type: 'number', min: 0, placeholder: 'text', value: draft.bodyBytes === undefined ? '' : String(draft.bodyBytes), 'data-testid': 'edit-bodyBytes',
              oninput: (e: Event) => {
                const raw = (e.target as HTMLInputElement).value;
                edit({ bodyBytes: raw === '' ? undefined : Math.max(0, Number(raw)) });
              } })),
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'Origin'),
            h('select', { 'data-testid': 'edit-failure', onchange: (e: Event) => edit({ failure: (e.target as HTMLSelectElement).value as OriginFailure }) },
              option('none', 'answers', draft.failure), option('500', 'fails: 500', draft.failure), option('network', 'fails: network', draft.failure)))),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: draft.etag, onchange: (e: Event) => edit({ etag: (e.target as HTMLInputElement).checked }) }),
          'Send an ETag (revalidations can get 304)')),
      h('fieldset', {}, h('legend', {}, 'Request from the page'),
        h('div', { class: 'row3' },
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'Method'),
            h('select', { 'data-testid': 'edit-method', onchange: (e: Event) => edit({ method: (e.target as HTMLSelectElement).value as RouteDraft['method'] }) },
              ['GET', 'HEAD', 'POST'].map((m) => option(m, m, draft.method)))),
          h('label', { class: 'field wide' }, h('span', { class: 'label' }, 'Path'),
            h('input', { type: 'text', value: draft.path, spellcheck: false, 'data-testid': 'edit-path',
              oninput: (e: Event) => edit({ path: (e.target as HTMLInputElement).value.replace(/^\/+/, '') || 'playground' }) }))),
        requestFields.map((name) =>
          h('label', { class: 'field' }, h('span', { class: 'label' }, name),
            h('input', { type: 'text', value: draft.requestHeaders[name] ?? '', placeholder: 'not sent', spellcheck: false, 'data-testid': `edit-req-${name.toLowerCase()}`,
              oninput: (e: Event) => edit({ requestHeaders: { ...current?.requestHeaders, [name]: (e.target as HTMLInputElement).value } }) })))),
    );
  };
  return { element, show };
}

function option(value: string, label: string, selected: string): HTMLOptionElement {
  return h('option', { value, selected: value === selected }, label);
}
