/**
 * A linearizability checker for one runtime-cache key: is there an order of the recorded operations,
 * consistent with real time (an operation that finished before another started comes first), under
 * which a sequential cache produces every value the gets returned? Brute force over the partial order,
 * fine for the handful of operations a race round records.
 */

export type Op =
  | { kind: 'set'; value: number; tags: string[] }
  | { kind: 'delete' }
  | { kind: 'expireTag'; tags: string[] }
  | { kind: 'get'; result: unknown };

export interface Recorded {
  context: string;
  op: Op;
  start: number;
  end: number;
}

interface State {
  value: number | null;
  tags: string[];
}

function apply(state: State, op: Op): State | 'mismatch' {
  switch (op.kind) {
    case 'set':
      return { value: op.value, tags: op.tags };
    case 'delete':
      return { value: null, tags: [] };
    case 'expireTag':
      return state.tags.some((t) => op.tags.includes(t)) ? { value: null, tags: [] } : state;
    case 'get':
      return (op.result ?? null) === state.value ? state : 'mismatch';
  }
}

/** An explaining order (context:kind list), or null when none exists. */
export function explainingOrder(history: readonly Recorded[]): string[] | null {
  const n = history.length;
  const used = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  const search = (state: State): boolean => {
    if (order.length === n) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const candidate = history[i] as Recorded;
      // Real-time order: nothing still unplaced may have finished before this one started.
      if (history.some((other, j) => !used[j] && j !== i && other.end < candidate.start)) continue;
      const next = apply(state, candidate.op);
      if (next === 'mismatch') continue;
      used[i] = true;
      order.push(i);
      if (search(next)) return true;
      order.pop();
      used[i] = false;
    }
    return false;
  };
  return search({ value: null, tags: [] }) ? order.map((i) => `${history[i]?.context}:${history[i]?.op.kind}`) : null;
}
