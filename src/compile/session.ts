/**
 * One compiled model at a time. Recompiling, a changed graph or a backend
 * switch disposes the previous model and its weights first, so an editing
 * session never accumulates tensors; `memory()` shows what is live.
 */
import type * as tfType from '@tensorflow/tfjs';
import { sameNetwork, type Graph } from '../engine/index.ts';
import { compile, type Compiled } from './compile.ts';
import { runForward, type RunOptions, type RunResult } from './run.ts';
import { verify, type Verification } from './verify.ts';

type Tf = typeof tfType;

export interface SessionModel extends Compiled {
  /** The graph object that was compiled (identity decides whether it is stale). */
  graph: Graph;
  backend: string;
  verification: Verification;
}

export class ModelSession {
  private current: SessionModel | null = null;

  constructor(readonly tf: Tf) {}

  get model(): SessionModel | null {
    return this.current;
  }

  /** Disposes any previous model, then compiles and verifies `graph`. Throws `CompileError`. */
  compile(graph: Graph): SessionModel {
    this.dispose();
    const compiled = compile(this.tf, graph);
    this.current = { ...compiled, graph, backend: this.tf.getBackend(), verification: verify(compiled.model, compiled.analysis) };
    return this.current;
  }

  /** Drops the compiled model when it no longer belongs to `graph` (or to the active backend). */
  sync(graph: Graph): void {
    // Moved, laid out or grouped layers build the same model: only a change to the network itself makes it stale.
    if (this.current && (!sameNetwork(this.current.graph, graph) || this.current.backend !== this.tf.getBackend())) this.dispose();
  }

  async run(options?: RunOptions): Promise<RunResult> {
    if (!this.current) throw new Error('nothing is compiled; compile the graph before running it');
    return runForward(this.tf, this.current.model, options);
  }

  memory(): tfType.MemoryInfo {
    return this.tf.memory();
  }

  dispose(): void {
    const old = this.current;
    this.current = null;
    old?.model.dispose();
  }
}
