/**
 * A compressed time axis for the lanes. Time travel makes gaps of seconds and of months sit side by
 * side, which a linear axis squashes into one pixel; here every gap between two interesting moments
 * (requests, entry boundaries, now) gets a width that grows with the logarithm of its length, so both
 * stay readable. Positions are monotonic, and labels always show the real time.
 */
export interface TimeAxis {
  /** 0..1 position of a worker-clock time (ms). */
  at(time: number): number;
  start: number;
  /** The moments worth a tick label. */
  ticks: number[];
}

const LINEAR_MS = 2000;

function gapWidth(ms: number): number {
  if (ms <= LINEAR_MS) return ms / 1000;
  return LINEAR_MS / 1000 + 1.5 * Math.log2(ms / LINEAR_MS);
}

export function compressedAxis(moments: number[], labelled: number[]): TimeAxis {
  const anchors = [...new Set(moments.filter(Number.isFinite).map((t) => Math.round(t)))].sort((a, b) => a - b);
  if (anchors.length === 0) anchors.push(0);
  const first = anchors[0] ?? 0;
  const positions: number[] = [0];
  for (let i = 1; i < anchors.length; i++) positions.push((positions[i - 1] ?? 0) + gapWidth((anchors[i] ?? 0) - (anchors[i - 1] ?? 0)));
  const last = positions[positions.length - 1] ?? 0;
  const total = Math.max(last * 1.04 + 0.5, 4);
  const at = (time: number): number => {
    if (time <= first) return 0;
    const i = anchors.findIndex((anchor) => anchor >= time);
    if (i === -1) return Math.min(1, (last + gapWidth(time - (anchors[anchors.length - 1] ?? 0))) / total);
    const a0 = anchors[i - 1] ?? first;
    const a1 = anchors[i] ?? first;
    const p0 = positions[i - 1] ?? 0;
    const p1 = positions[i] ?? 0;
    return (p0 + ((time - a0) / Math.max(1, a1 - a0)) * (p1 - p0)) / total;
  };
  return { at, start: first, ticks: labelled.filter(Number.isFinite) };
}

/** "+92 s", "+1 h" relative to the axis start. */
export function tickLabel(axis: TimeAxis, time: number): string {
  const seconds = (time - axis.start) / 1000;
  if (seconds < 120) return `+${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  if (seconds < 7200) return `+${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `+${(seconds / 3600).toFixed(1)} h`;
  return `+${Math.round(seconds / 86_400)} d`;
}
