/**
 * Memory hygiene: compiled models, their weights and every tensor of a run are
 * released, so repeated compile → run → dispose cycles leave
 * `tf.memory().numTensors` where it started.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.ts';
import { runForward } from '../../src/compile/run.ts';
import { ModelSession } from '../../src/compile/session.ts';
import { lenet5, loadExample, twoInTwoOut } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('no tensors leak', () => {
  it('20 compile → run → dispose cycles return numTensors to its starting value', async () => {
    const graphs = [lenet5(), loadExample('jena-gru.json'), twoInTwoOut()];
    const start = tf.memory().numTensors;
    let peak = start;
    for (let i = 0; i < 20; i++) {
      const { model } = compile(tf, graphs[i % graphs.length]);
      await runForward(tf, model, { batch: 2 });
      peak = Math.max(peak, tf.memory().numTensors);
      model.dispose();
    }
    // The check can fail: while a model is alive its weights are counted.
    expect(peak).toBeGreaterThan(start);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('a run alone leaves nothing behind, warm-up and repeats included', async () => {
    const { model } = compile(tf, lenet5());
    try {
      const before = tf.memory().numTensors;
      const r = await runForward(tf, model, { batch: 4, repeats: 3, warmup: true });
      expect(r.outputShapes).toEqual([[4, 10]]);
      expect(r.repeats).toBe(3);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });
});

describe('ModelSession', () => {
  it('disposes the previous model on recompile, and on a changed network, not on moved or grouped layers', async () => {
    const session = new ModelSession(tf);
    const start = session.memory().numTensors;
    const g = lenet5();
    const first = session.compile(g);
    const withOne = session.memory().numTensors;
    expect(withOne).toBeGreaterThan(start);
    expect(first.verification.ok).toBe(true);
    expect(first.backend).toBe('cpu');

    for (let i = 0; i < 5; i++) {
      session.compile(g);
      await session.run();
    }
    expect(session.memory().numTensors).toBe(withOne);

    session.sync(g); // the same graph: the model stays
    expect(session.model).not.toBeNull();
    // Layers moved (a drag, a layout) and grouped: a new graph object, the same network; the model stays.
    const moved = { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 10 * i, y: 400 } })), groups: [{ id: 'head', title: 'head', nodes: [g.nodes[1].id] }] };
    session.sync(moved);
    expect(session.model).not.toBeNull();
    expect(session.memory().numTensors).toBe(withOne);
    // A parameter edit changes the network: the model goes.
    const edited = structuredClone(g);
    edited.nodes.find((n) => n.id === 'c1')!.params.filters = 7;
    session.sync(edited);
    expect(session.model).toBeNull();
    expect(session.memory().numTensors).toBe(start);
  });

  it('refuses to run before compiling, with the fix', async () => {
    await expect(new ModelSession(tf).run()).rejects.toThrow(/compile the graph/);
  });

  it('keeps no model after a failed compile', () => {
    const session = new ModelSession(tf);
    const start = session.memory().numTensors;
    session.compile(lenet5());
    const bad = lenet5();
    bad.nodes.find((n) => n.id === 'c1')!.params.filters = 0;
    expect(() => session.compile(bad)).toThrow(/c1/);
    expect(session.model).toBeNull();
    expect(session.memory().numTensors).toBe(start);
  });
});
