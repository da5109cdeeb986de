/**
 * SVG diagram → PNG, in the browser only: the SVG is drawn onto a canvas and
 * encoded by the browser. Node has no canvas; use the SVG there.
 */
import type { Graph } from '../engine/types.ts';
import { toSvg } from './export-svg.ts';

/** Renders `svg` at `scale`× its size and resolves with a PNG blob. Browser-only. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  if (typeof document === 'undefined') throw new Error('PNG export needs a browser canvas; in Node, export SVG instead');
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the diagram could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.width * scale);
    canvas.height = Math.ceil(img.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser gives no 2D canvas; export SVG instead');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The graph's diagram as a PNG blob. Browser-only. */
export const toPng = (graph: Graph, scale = 2): Promise<Blob> => svgToPng(toSvg(graph), scale);
