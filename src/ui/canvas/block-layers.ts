/**
 * What a block use looks like opened in place: its inner layers, in order,
 * each with its output shape and parameter count, indented by nesting and
 * grouped by copy for repeated uses. Pure: analysis in, rows out.
 */
import { blockUseResult, shapeText, type Analysis } from '../../engine/index.ts';

export interface InnerLayerRow {
  /** Expanded layer id (the name the compiled model uses). */
  id: string;
  name: string;
  kind: string;
  /** `(None, 56, 56, 256)`-style text, or the status when the layer has no shape. */
  shape: string | null;
  status: 'ok' | 'error' | 'blocked';
  paramCount: number;
  /** 0 for the use's own layers, 1 for layers of a block used inside it, … */
  depth: number;
  /** Copy number (from the use's `repeatStart`) when the use repeats, else null. */
  copy: number | null;
}

/** The rows for use `id`, or null when `id` is not a block use of this analysis. */
export function innerLayers(analysis: Analysis, id: string): InnerLayerRow[] | null {
  const use = blockUseResult(analysis.byId.get(id));
  if (!use) return null;
  const rows: InnerLayerRow[] = [];
  for (const m of use.members) {
    const r = analysis.byId.get(m);
    const origin = analysis.origin.get(m);
    if (!r || !origin) continue;
    const at = origin.uses.indexOf(id);
    const depth = at < 0 ? 0 : origin.uses.length - 1 - at;
    rows.push({
      id: m,
      name: r.name,
      kind: r.kind,
      shape: r.status === 'ok' ? shapeText(r.outputShape) : null,
      status: r.status,
      paramCount: r.paramCount,
      depth,
      copy: use.repeat > 1 ? copyOf(id, m) : null,
    });
  }
  return rows;
}

/** Copy k of a repeated use expands to ids `<use>/<k>/…` (see engine/blocks.ts). */
function copyOf(use: string, member: string): number | null {
  if (!member.startsWith(`${use}/`)) return null;
  const k = Number(member.slice(use.length + 1).split('/')[0]);
  return Number.isInteger(k) ? k : null;
}
