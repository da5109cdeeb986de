/** Runs ELK off the main thread: one request in, positions and edge routes out. */
import ELK from 'elkjs/lib/elk.bundled.js';
import { elkGraph, readLayout, type ElkGraph, type LayoutRequest } from './elk-layout.ts';

const elk = new ELK();

self.onmessage = async (e: MessageEvent<{ id: number; req: LayoutRequest }>) => {
  const { id, req } = e.data;
  const t0 = performance.now();
  try {
    const laid = (await elk.layout(elkGraph(req) as never)) as unknown as ElkGraph;
    self.postMessage({ id, result: readLayout(laid, performance.now() - t0) });
  } catch (err) {
    self.postMessage({ id, error: (err as Error).message });
  }
};
