/**
 * A tiny hyperscript helper: the demo builds its DOM with plain functions (no framework, see README).
 * `h('button', { class: 'btn', onclick }, 'Send')` → an element; children may be strings, nodes,
 * arrays or null/false (skipped), which keeps conditional markup readable.
 */
export type Child = Node | string | number | null | undefined | false | Child[];

type Props = Record<string, unknown> & { class?: string; dataset?: Record<string, string> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = text(value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value as EventListener);
    } else if (name in element && !name.includes('-') && name !== 'list') {
      (element as unknown as Record<string, unknown>)[name] = value;
    } else element.setAttribute(name, value === true ? '' : text(value));
  }
  append(element, children);
  return element;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces every child of `parent` (a view re-render). */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** SVG elements need their namespace. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/** Human durations for cache windows: 59 s, 1 h, 1 y. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  const s = Math.round(seconds);
  const abs = Math.abs(s);
  if (abs < 120) return `${s} s`;
  if (abs < 3600) return `${Math.round(s / 60)} min`;
  if (abs < 172_800) return `${+(s / 3600).toFixed(1)} h`;
  if (abs < 31_536_000) return `${Math.round(s / 86_400)} d`;
  return `${+(s / 31_536_000).toFixed(1)} y`;
}
