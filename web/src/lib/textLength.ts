// Length of ad text as the platforms count it: Google counts double-width characters (CJK,
// full-width forms) as 2; Meta counts user-perceived characters (grapheme clusters).

const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];
const isWide = (cp: number) => WIDE.some(([a, b]) => cp >= a && cp <= b);

function graphemes(text: string): string[] {
  if (typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  }
  return Array.from(text);
}

export function textLength(text: string, platform?: string): number {
  const gs = graphemes(text);
  if (!platform || !platform.startsWith('google')) return gs.length;
  return gs.reduce((n, g) => n + (isWide(g.codePointAt(0) ?? 0) ? 2 : 1), 0);
}

/** Splits a violation field like "headlines[2]" / "headlines.2" into name and index. */
export function parseFieldRef(ref: string): { name: string; index: number | null } {
  const m = /^([A-Za-z_]+)(?:\[(\d+)\]|\.(\d+))?/.exec(ref);
  if (!m) return { name: ref, index: null };
  const idx = m[2] ?? m[3];
  return { name: m[1], index: idx === undefined ? null : Number(idx) };
}
