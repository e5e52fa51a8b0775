// The text fields of a copy creative, ready to render. Backends put other things next to them
// (pins: {}, seed, language, violations...): only strings and arrays of strings are text.
const ORDER = ['headlines', 'long_headlines', 'primary_texts', 'descriptions', 'paths', 'business_name'];

export function textFields(fields: Record<string, unknown> | null | undefined, opts: { keepEmpty?: string[] } = {}): [string, string[], boolean][] {
  const out: [string, string[], boolean][] = [];
  for (const [k, v] of Object.entries(fields ?? {})) {
    const isList = Array.isArray(v);
    const items = isList ? (v as unknown[]).filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : null;
    if (!items || (isList && items.length !== (v as unknown[]).length)) continue;
    if (items.length === 0 && !(opts.keepEmpty ?? []).includes(k)) continue;
    out.push([k, items, isList]);
  }
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return out.sort((a, b) => rank(a[0]) - rank(b[0]));
}
