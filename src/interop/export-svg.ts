/**
 * netloom graph → an SVG diagram for slides and papers: one box per layer,
 * rows by depth (longest path from an input), each box annotated with the
 * layer's output shape and parameter count. Pure string generation; every
 * piece of user text goes through `escapeXml`, so a name can never become
 * markup, and bidi or control characters in it show as codes.
 */
import { fmt } from '../engine/formula.ts';
import { buildStructure, sourcesOf } from '../engine/graph.ts';
import { getLayer } from '../engine/layers/index.ts';
import { shapeText } from '../engine/summary.ts';
import type { Graph } from '../engine/types.ts';
import { prepareExport } from './prepare.ts';

/**
 * Characters shown as a visible code (`<U+202E>`) instead of themselves: bidi
 * controls, which would reorder what follows (`Report \u202Efdp.exe` reads as
 * "Report exe.pdf"), other control characters, and what XML 1.0 forbids even
 * escaped (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates).
 */
const SHOWN_AS_CODE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for XML content or attributes: markup characters escaped, invisible controls made visible. */
export const escapeXml = (s: string): string =>
  s.replace(SHOWN_AS_CODE, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS: Record<string, string> = {
  'Inputs & data': '#e8f1fb', Convolution: '#e9f7ee', Pooling: '#f1f1f1', Recurrent: '#fdf1e3',
  Merge: '#f4ebfb', Core: '#fbf8e3', Normalization: '#e7f6f7',
};

const BOX_W = 230;
const BOX_H = 62;
const GAP_X = 30;
const GAP_Y = 46;
const PAD = 20;

/** Truncates long names so boxes stay one size (the full text is in the box's <title>); never splits a character. */
const clip = (s: string, n: number) => {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
};

export function toSvg(graph: Graph): string {
  const { graph: flat, analysis } = prepareExport(graph, { strict: false });
  const s = buildStructure(flat);
  const depth = new Map<number, number>();
  for (const p of s.order) {
    let d = 0;
    for (const q of sourcesOf(s, p)) if (q >= 0) d = Math.max(d, (depth.get(q) ?? 0) + 1);
    depth.set(p, d);
  }
  const rows = new Map<number, number[]>();
  for (const p of s.order) {
    const d = depth.get(p)!;
    rows.set(d, [...(rows.get(d) ?? []), p]);
  }
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = PAD * 2 + widest * BOX_W + (widest - 1) * GAP_X;
  const at = new Map<number, { x: number; y: number }>();
  for (const [d, members] of rows) {
    const rowW = members.length * BOX_W + (members.length - 1) * GAP_X;
    members.forEach((p, i) => at.set(p, { x: (width - rowW) / 2 + i * (BOX_W + GAP_X), y: PAD + 28 + d * (BOX_H + GAP_Y) }));
  }
  const height = PAD * 2 + 28 + rows.size * (BOX_H + GAP_Y) - GAP_Y + 24;
  const out: string[] = [];
  const t = analysis.totals;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<title>${escapeXml(flat.title ?? flat.name)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${PAD}" y="${PAD + 12}" font-size="15" font-weight="bold" fill="#222">${escapeXml(clip(flat.title ?? flat.name, 90))}</text>`);
  out.push('<g stroke="#8a8f98" stroke-width="1.4" fill="none">');
  for (const p of s.order) {
    const to = at.get(p)!;
    for (const q of sourcesOf(s, p)) {
      if (q < 0 || !at.has(q)) continue;
      const from = at.get(q)!;
      const x1 = from.x + BOX_W / 2;
      const y1 = from.y + BOX_H;
      const x2 = to.x + BOX_W / 2;
      const y2 = to.y;
      const my = (y1 + y2) / 2;
      out.push(`<path d="M${x1} ${y1} C${x1} ${my} ${x2} ${my} ${x2} ${y2 - 4}"/>`);
      out.push(`<path d="M${x2 - 4} ${y2 - 8} L${x2} ${y2 - 2} L${x2 + 4} ${y2 - 8}"/>`);
    }
  }
  out.push('</g>');
  for (const p of s.order) {
    const n = s.nodes[p];
    const r = analysis.byId.get(n.id);
    const { x, y } = at.get(p)!;
    const spec = getLayer(n.kind);
    const fill = r?.status === 'error' ? '#fde8e8' : COLORS[spec?.category ?? ''] ?? '#ffffff';
    const stroke = r?.status === 'error' ? '#d33' : '#667';
    const shape = r?.outputShape ? shapeText(r.outputShape) : r?.status === 'ok' ? '' : r?.status ?? '';
    const params = r && r.status === 'ok' ? `${fmt(r.paramCount)} params` : r?.errors[0]?.message ?? 'blocked';
    out.push(`<g><title>${escapeXml(`${n.name} (${n.kind})`)}</title>`);
    out.push(`<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="7" fill="${fill}" stroke="${stroke}"/>`);
    out.push(`<text x="${x + 10}" y="${y + 19}" font-size="13" font-weight="bold" fill="#222">${escapeXml(clip(`${n.name} (${n.kind})`, 32))}</text>`);
    out.push(`<text x="${x + 10}" y="${y + 37}" font-size="12" fill="#333">${escapeXml(clip(shape, 36))}</text>`);
    out.push(`<text x="${x + 10}" y="${y + 54}" font-size="12" fill="#555">${escapeXml(clip(params, 36))}</text>`);
    out.push('</g>');
  }
  out.push(`<text x="${PAD}" y="${height - PAD + 6}" font-size="12" fill="#444">Total params: ${fmt(t.params)} · trainable ${fmt(t.trainable)} · non-trainable ${fmt(t.nonTrainable)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
