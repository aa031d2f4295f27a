/**
 * Single-key shortcuts for the main actions. They never fire while typing in a field or with a
 * modifier held, so they cannot get in the way of the form or of browser shortcuts.
 */
export interface Shortcuts {
  send: () => void;
  burst: () => void;
  play: () => void;
  advance: () => void;
}

export function bindShortcuts(shortcuts: Shortcuts): void {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) return;
    const action = { s: shortcuts.send, b: shortcuts.burst, p: shortcuts.play, '.': shortcuts.advance }[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
