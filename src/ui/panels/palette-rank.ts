/**
 * How the palette orders its entries for a search: what Enter adds is the
 * first one, so a query that names a layer exactly must put that layer first.
 */

export interface PaletteEntry {
  item: string;
  label: string;
  doc: string;
}

/** The tiers of a match, best first. */
export const MATCH = { exact: 0, prefix: 1, word: 2, substring: 3, doc: 4 } as const;

/** The words of a label: GlobalAveragePooling2D → global, average, pooling2d; max_pool → max, pool. */
export function labelWords(label: string): string[] {
  return label
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.:/]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The tier `label`/`doc` match `query` in (lower case, trimmed), or null when they do not match. */
export function matchTier(query: string, entry: PaletteEntry): number | null {
  const q = query.trim().toLowerCase();
  if (!q) return MATCH.exact;
  const label = entry.label.toLowerCase();
  if (label === q) return MATCH.exact;
  if (label.startsWith(q)) return MATCH.prefix;
  const compact = q.replace(/[\s_-]+/g, '');
  const words = labelWords(entry.label);
  // A prefix of any word, or of a run of words (`avgpool` does not, `averagepool` does).
  for (let i = 0; i < words.length; i++) if (words.slice(i).join('').startsWith(compact)) return MATCH.word;
  if (label.includes(q) || (compact && label.includes(compact))) return MATCH.substring;
  if (entry.doc.toLowerCase().includes(q)) return MATCH.doc;
  return null;
}

/**
 * The entries matching `query`, best first: exact name, name prefix, word
 * (camel-case) prefix, substring of the name, then the description. Within a
 * tier, shorter names first, then the palette's own order.
 */
export function rankEntries<T extends PaletteEntry>(query: string, entries: readonly T[]): T[] {
  if (!query.trim()) return entries.slice();
  const scored: { e: T; tier: number; i: number }[] = [];
  entries.forEach((e, i) => {
    const tier = matchTier(query, e);
    if (tier !== null) scored.push({ e, tier, i });
  });
  scored.sort((a, b) => a.tier - b.tier || (a.tier < MATCH.doc ? a.e.label.length - b.e.label.length : 0) || a.i - b.i);
  return scored.map((s) => s.e);
}
