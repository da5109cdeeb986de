/**
 * Compile, verify and run the current graph on TF.js (WebGPU first).
 * The editor mounts this panel; it owns everything about backends and models.
 */
import type { Analysis, Graph } from '../../engine/index.ts';

export interface CompilePanelProps {
  graph: Graph;
  analysis: Analysis;
}

export function CompilePanel(_props: CompilePanelProps) {
  return <section className="compile-panel" aria-label="Compile and run" />;
}
