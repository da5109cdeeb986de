/** Structure and error reporting: every problem names its node and the fix; analysis never crashes. */
import { describe, expect, it } from 'vitest';
import {
  analyze, buildStructure, connectionProblem, GraphBuilder, KIND, nodeInputs, portLabel, sameNetwork, type Analysis, type Graph,
} from '../../src/engine/index.ts';
import { mulberry32, randomGraph } from '../support/random-graphs.ts';

/** Everything a view or a file export can read from an analysis, as plain JSON. */
const plain = (a: Analysis) => JSON.parse(JSON.stringify({ nodes: a.nodes, totals: a.totals, problems: a.problems, groups: a.groups, inputs: a.inputs, outputs: a.outputs }));

function lenet(): GraphBuilder {
  const b = new GraphBuilder('lenet');
  const x = b.add('Input', { shape: [28, 28, 1] }, [], 'input');
  b.chain(x, [
    ['Conv2D', { filters: 6, kernelSize: [5, 5] }, 'conv1'],
    ['MaxPooling2D', {}, 'pool1'],
    ['Flatten', {}, 'flatten'],
    ['Dense', { units: 10 }, 'out'],
  ]);
  return b;
}

describe('errors name the node and the fix, downstream is blocked', () => {
  it('kernel larger than its input', () => {
    const b = new GraphBuilder('bad');
    const x = b.add('Input', { shape: [3, 3, 8] }, [], 'input');
    const c = b.add('Conv2D', { kernelSize: [5, 5] }, [x], 'conv3');
    const d = b.add('Dense', { units: 4 }, [c], 'dense');
    const e = b.add('Dense', { units: 2 }, [d], 'dense2');
    const a = analyze(b.build());
    expect(a.problems).toEqual([
      { nodeId: 'conv3', field: 'kernelSize', message: "kernel 5×5 is larger than its 3×3 input; use padding 'same' or a smaller kernel" },
    ]);
    expect(a.byId.get(d)!.status).toBe('blocked');
    expect(a.byId.get(e)!.blockedBy).toEqual(['conv3']);
    expect(a.totals.params).toBe(0);
  });

  it('rank mismatches say what to add', () => {
    const b = new GraphBuilder('rank');
    const x = b.add('Input', { shape: [28, 28] }, [], 'input');
    b.add('Conv2D', {}, [x], 'conv');
    const [p] = analyze(b.build()).problems;
    expect(p.nodeId).toBe('conv');
    expect(p.message).toMatch(/Conv2D needs a 3-D input .* add a Reshape to \(28, 28, 1\)/);
  });

  it('Add with different shapes proposes a projection', () => {
    const b = new GraphBuilder('add');
    const x = b.add('Input', { shape: [8, 8, 64] }, [], 'x');
    const c = b.add('Conv2D', { filters: 256, kernelSize: [1, 1] }, [x], 'c');
    b.add('Add', {}, [c, x], 'add');
    const [p] = analyze(b.build()).problems;
    expect(p.nodeId).toBe('add');
    expect(p.message).toMatch(/8×8×256 .* 8×8×64.*1×1 Conv2D/);
  });

  it('bad parameter values and unknown parameters', () => {
    const b = lenet();
    b.graph.nodes[1].params = { filters: -3, kernelSize: [5, 5], colour: 'red' };
    const a = analyze(b.graph);
    const msgs = a.problems.filter((p) => p.nodeId === 'conv1').map((p) => `${p.field}: ${p.message}`);
    expect(msgs).toEqual([
      'filters: filters must be a whole number from 1 to 2147483647, got -3',
      "colour: unknown parameter 'colour'; known: filters, kernelSize, strides, padding, dilationRate, activation, useBias, groups",
    ]);
    expect(a.byId.get('out')!.status).toBe('blocked');
  });

  it('unknown kinds get a suggestion', () => {
    const b = lenet();
    b.graph.nodes[2].kind = 'MaxPool2D';
    const p = analyze(b.graph).problems.find((q) => q.nodeId === 'pool1')!;
    expect(p.message).toBe("unknown kind 'MaxPool2D'; did you mean 'MaxPooling2D'?");
  });

  it('missing inputs and too many inputs', () => {
    const b = lenet();
    b.graph.edges = b.graph.edges.filter((e) => e.target !== 'flatten');
    b.graph.edges.push({ id: 'x1', source: 'conv1', target: 'out', targetPort: 'in1' });
    const a = analyze(b.graph);
    expect(a.problems.map((p) => p.nodeId)).toEqual(expect.arrayContaining(['flatten', 'out']));
    expect(a.problems.find((p) => p.nodeId === 'flatten')!.message).toBe('has no input on port in0; connect a layer to it');
    expect(a.problems.find((p) => p.nodeId === 'out')).toEqual({
      edgeId: 'x1', nodeId: 'out', path: '/edges/3/targetPort',
      message: "edge 'x1': out (Dense) takes at most 1 input, so nothing can enter port in1; join the branches with Add, Multiply or Concatenate first and connect that",
    });
  });
});

describe('structure', () => {
  it('rejects a cycle with the ids on it', () => {
    // x → m → a → c → back into m: every port is legal, only the loop is not.
    const g: Graph = {
      name: 'cycle',
      nodes: [
        { id: 'x', kind: 'Input', name: 'x', params: { shape: [4] } },
        { id: 'a', kind: 'Dense', name: 'a', params: {} },
        { id: 'm', kind: 'Add', name: 'm', params: {} },
        { id: 'c', kind: 'Dense', name: 'c', params: { units: 4 } },
      ],
      edges: [
        { id: 'e1', source: 'x', target: 'm', targetPort: 'in0' },
        { id: 'e2', source: 'c', target: 'm', targetPort: 'in1' },
        { id: 'e3', source: 'm', target: 'a', targetPort: 'in0' },
        { id: 'e4', source: 'a', target: 'c', targetPort: 'in0' },
      ],
    };
    const a = analyze(g);
    const cycle = a.problems.find((p) => p.message.startsWith('cycle'))!;
    expect(cycle.message).toMatch(/^cycle through (m → a → c|a → c → m|c → m → a) → \w; a network must flow one way/);
    expect(a.nodes.map((n) => n.id).sort()).toEqual(['a', 'c', 'm', 'x']);
    // One problem for the cycle; its other nodes are blocked by the node that carries it.
    expect(a.problems.filter((p) => p.nodeId !== 'x')).toEqual([cycle]);
    for (const id of ['a', 'c', 'm'].filter((i) => i !== cycle.nodeId)) {
      expect(a.byId.get(id)!).toMatchObject({ status: 'blocked', blockedBy: [cycle.nodeId] });
    }
  });

  it('reports dangling edges, duplicate ids and duplicate names', () => {
    const b = lenet();
    b.graph.edges.push({ id: 'dangle', source: 'ghost', target: 'out', targetPort: 'in0' });
    b.graph.nodes.push({ ...b.graph.nodes[1] });
    b.graph.nodes.push({ id: 'other', kind: 'Dense', name: 'conv1', params: {} });
    const msgs = analyze(b.graph).problems.map((p) => p.message);
    expect(msgs).toEqual(expect.arrayContaining([
      "edge 'dangle': no node 'ghost' to connect from; add the node or remove the edge",
      "duplicate node id 'conv1'; give every node its own id",
      "name 'conv1' is already used by node 'conv1'; layer names must be unique (Keras requires it)",
    ]));
  });

  it('reports a second edge into a filled port in file order and leaves the first edge in place', () => {
    const g = lenet().build();
    const extra: Graph = {
      ...g,
      edges: [
        ...g.edges.slice(0, 2),
        { id: 'again', source: 'input', target: 'pool1', targetPort: 'in0' },
        { id: 'dangling', source: 'flatten', target: 'ghost', targetPort: 'in0' },
        ...g.edges.slice(2),
      ],
    };
    const a = analyze(extra);
    expect(a.structure.problems.map((p) => p.edgeId)).toEqual(['again', 'dangling']);
    const pool = a.byId.get('pool1')!;
    expect(pool.status).toBe('error');
    expect(pool.errors[0]).toEqual({
      edgeId: 'again', nodeId: 'pool1', path: '/edges/2/targetPort',
      message: "edge 'again': pool1's input in0 is already connected (from conv1); delete that edge first or connect to a free port",
    });
    // The rejected edge feeds nothing: the first edge stays, and the model has one output.
    expect(pool.inputIds).toEqual(['conv1']);
    expect(a.outputs).toEqual(['out']);
    expect(a.byId.get('out')!.blockedBy).toEqual(['pool1']);
  });

  it('finds a name clash between a renamed layer and a layer named as its id, in either order', () => {
    for (const order of [['a', 'b'], ['b', 'a']]) {
      const nodes = {
        a: { id: 'a', kind: 'Input', name: 'a', params: { shape: [4] } },
        b: { id: 'b', kind: 'Input', name: 'a', params: { shape: [4] } },
      } as const;
      const g: Graph = { name: 'clash', nodes: order.map((k) => ({ ...nodes[k as 'a' | 'b'] })), edges: [] };
      const a = analyze(g);
      expect(a.problems.map((p) => p.message), order.join()).toEqual([
        `name 'a' is already used by node '${order[0]}'; layer names must be unique (Keras requires it)`,
      ]);
    }
    // Swapped names clash with nobody.
    const swapped: Graph = { name: 'swap', nodes: [
      { id: 'a', kind: 'Input', name: 'b', params: { shape: [4] } },
      { id: 'b', kind: 'Input', name: 'a', params: { shape: [4] } },
    ], edges: [] };
    expect(analyze(swapped).problems).toEqual([]);
  });

  it('orders layers topologically, ties in file order, with several inputs and outputs', () => {
    const b = new GraphBuilder('multi');
    const a1 = b.add('Input', { shape: [4] }, [], 'a');
    const a2 = b.add('Input', { shape: [4] }, [], 'b');
    const s = b.add('Add', {}, [a1, a2], 'sum');
    b.add('Dense', { units: 1 }, [s], 'head1');
    b.add('Dense', { units: 2 }, [s], 'head2');
    const an = analyze(b.build());
    expect(an.nodes.map((n) => n.id)).toEqual(['a', 'b', 'sum', 'head1', 'head2']);
    expect(an.inputs).toEqual(['a', 'b']);
    expect(an.outputs).toEqual(['head1', 'head2']);
  });
});

describe('incremental re-analysis', () => {
  it('keeps results of untouched nodes and equals a full analysis', () => {
    const g = lenet().build();
    const first = analyze(g);
    const edited: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'conv1' ? { ...n, params: { ...n.params, filters: 16 } } : n)) };
    const again = analyze(edited, first);
    expect(again.byId.get('input')).toBe(first.byId.get('input'));
    expect(again.byId.get('conv1')).not.toBe(first.byId.get('conv1'));
    expect(again.byId.get('out')!.paramCount).toBe(12 * 12 * 16 * 10 + 10);
    const fresh = analyze(edited);
    expect(again.nodes.map((n) => [n.id, n.outputShape, n.paramCount, n.formula])).toEqual(
      fresh.nodes.map((n) => [n.id, n.outputShape, n.paramCount, n.formula]),
    );
    // Downstream nodes whose input shape did not change keep their result.
    const e2: Graph = { ...edited, nodes: edited.nodes.map((n) => (n.id === 'out' ? { ...n, params: { ...n.params, units: 5 } } : n)) };
    const third = analyze(e2, again);
    expect(third.byId.get('flatten')).toBe(again.byId.get('flatten'));
    expect(third.byId.get('out')!.paramCount).toBe(2304 * 5 + 5);
  });

  it('recovers when an upstream error is fixed', () => {
    const g = lenet().build();
    const broken: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'conv1' ? { ...n, params: { ...n.params, kernelSize: [40, 40] } } : n)) };
    const a1 = analyze(broken);
    expect(a1.byId.get('out')!.status).toBe('blocked');
    const a2 = analyze(g, a1);
    expect(a2.problems).toEqual([]);
    expect(a2.byId.get('out')!.status).toBe('ok');
  });

  it('reuses the structure for parameter edits and rebuilds it when ids, names or edges change', () => {
    const g = lenet().build();
    const first = analyze(g);
    const param: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'out' ? { ...n, params: { ...n.params, units: 3 } } : n)) };
    const a = analyze(param, first);
    expect(a.structure.index).toBe(first.structure.index);
    expect(a.structure.nodes[4]).toBe(param.nodes[4]);
    expect(plain(a)).toEqual(plain(analyze(param)));

    const renamed: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'pool1' ? { ...n, name: 'out' } : n)) };
    const b = analyze(renamed, first);
    expect(b.structure.index).not.toBe(first.structure.index);
    expect(b.problems.map((p) => [p.nodeId, p.message])).toEqual([
      ['out', "name 'out' is already used by node 'pool1'; layer names must be unique (Keras requires it)"],
    ]);
    expect(plain(b)).toEqual(plain(analyze(renamed)));

    const rewired: Graph = { ...g, edges: g.edges.filter((e) => e.target !== 'flatten') };
    const c = analyze(rewired, first);
    expect(c.structure.index).not.toBe(first.structure.index);
    expect(c.byId.get('flatten')!.status).toBe('error');
    expect(c.byId.get('out')!.status).toBe('blocked');
    expect(plain(c)).toEqual(plain(analyze(rewired)));
  });

  it('equals a full analysis after chains of random edits of random graphs', () => {
    const rand = mulberry32(0x1ec4);
    for (let seed = 1; seed <= 40; seed++) {
      let g = randomGraph(seed);
      let prev = analyze(g);
      for (let step = 0; step < 6; step++) {
        const nodes = [...g.nodes];
        const at = Math.floor(rand() * nodes.length);
        const n = nodes[at];
        const kind = rand();
        let next: Graph;
        if (kind < 0.6) {
          // Nudge one numeric parameter (may break the graph: errors must match too).
          const keys = Object.keys(n.params).filter((k) => typeof n.params[k] === 'number');
          const k = keys[Math.floor(rand() * keys.length)];
          nodes[at] = k ? { ...n, params: { ...n.params, [k]: Math.max(1, (n.params[k] as number) + (rand() < 0.5 ? -1 : 1)) } } : { ...n };
          next = { ...g, nodes };
        } else if (kind < 0.8) {
          next = { ...g, edges: g.edges.filter((_, i) => i !== Math.floor(rand() * g.edges.length)) };
        } else {
          nodes[at] = { ...n, name: `${n.name}_renamed` };
          next = { ...g, nodes };
        }
        const incremental = analyze(next, prev);
        expect(plain(incremental), `seed ${seed} step ${step}`).toEqual(plain(analyze(next)));
        g = next;
        prev = incremental;
      }
    }
  });

  it('writes the arithmetic text on first read and includes it in JSON', () => {
    const a = analyze(lenet().build());
    const conv = a.byId.get('conv1')!;
    const json = JSON.parse(JSON.stringify(conv));
    expect(json.formula).toBe('5·5·1·6 + 6 = 156');
    expect(json.describe).toBe(conv.describe);
    expect(json.weights.map((w: { count: number }) => w.count)).toEqual([150, 6]);
    expect(conv.weights).toBe(conv.weights);
  });
});

describe('connection rules', () => {
  /** input → conv1 → pool1 → flatten → out, plus an Add fed by flatten and out. */
  function net(): Graph {
    const b = lenet();
    b.add('Add', {}, ['flatten', 'out'], 'add');
    return b.build();
  }

  // Each case: an edge the editor refuses, and the same edge in a file.
  const cases: [rule: string, source: string, target: string, port: string, message: string][] = [
    ['missing', 'ghost', 'out', 'in0', "no node 'ghost' to connect from; add the node or remove the edge"],
    ['self', 'add', 'add', 'in2', 'add cannot feed itself; connect it to another layer'],
    ['model-input', 'out', 'input', 'in0', 'input (Input) is a model input and takes no inputs; connect from it, not into it'],
    ['port', 'conv1', 'out', 'left', "out has no port 'left'; ports are named in0, in1, …"],
    ['too-many', 'conv1', 'pool1', 'in1', 'pool1 (MaxPooling2D) takes at most 1 input, so nothing can enter port in1; join the branches with Add, Multiply or Concatenate first and connect that'],
    ['taken', 'input', 'pool1', 'in0', "pool1's input in0 is already connected (from conv1); delete that edge first or connect to a free port"],
  ];

  it.each(cases)('%s: the editor and file validation give one message', (rule, source, target, port, message) => {
    const g = net();
    expect(connectionProblem(g, source, target, port)).toEqual({ rule, message });
    const s = buildStructure({ ...g, edges: [...g.edges, { id: 'new', source, target, targetPort: port }] });
    expect(s.problems.filter((p) => p.edgeId === 'new').map((p) => p.message)).toEqual([`edge 'new': ${message}`]);
  });

  it('the editor also refuses a second edge between two layers and an edge that closes a cycle', () => {
    const g = net();
    expect(connectionProblem(g, 'flatten', 'add', 'in2')).toEqual({ rule: 'twice', message: 'flatten already feeds add; connect another layer to this port' });
    expect(connectionProblem(g, 'flatten', 'conv1', 'in0')?.rule).toBe('taken');
    const free = { ...g, edges: g.edges.filter((e) => e.target !== 'conv1') };
    expect(connectionProblem(free, 'flatten', 'conv1', 'in0')).toEqual({
      rule: 'cycle', message: 'connecting flatten → conv1 would make a cycle (conv1 already feeds flatten); networks must flow one way',
    });
    expect(connectionProblem(g, 'conv1', 'add', 'in2')).toBeNull();
  });

  it('one layer may feed two named ports of a node: self-attention takes x as query and value', () => {
    const g = {
      name: 'self',
      nodes: [
        { id: 'x', kind: 'Input', name: 'x', params: { shape: [16, 32] } },
        { id: 'mha', kind: 'MultiHeadAttention', name: 'mha', params: { numHeads: 2, keyDim: 16 } },
      ],
      edges: [{ id: 'e1', source: 'x', target: 'mha', targetPort: 'in0' }],
    };
    expect(connectionProblem(g, 'x', 'mha', 'in1')).toBeNull();
    const both = { ...g, edges: [...g.edges, { id: 'e2', source: 'x', target: 'mha', targetPort: 'in1' }] };
    expect(buildStructure(both).problems).toEqual([]);
    expect(connectionProblem(both, 'x', 'mha', 'in1')?.rule).toBe('taken');
  });

  it('what a node takes comes from its passport or its block', () => {
    const g = net();
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    expect(nodeInputs(g, node('add'))).toMatchObject({ min: 2, variadic: true, modelInput: false });
    expect(nodeInputs(g, node('input'))).toMatchObject({ max: 0, modelInput: true });
    expect(nodeInputs(g, node('out'))).toMatchObject({ min: 1, max: 1, variadic: false });
    expect(nodeInputs(g, { id: 'k', kind: 'Dense2', name: 'k', params: {} })).toBeNull();
    expect(node('add').kind).toBe(KIND.Add);
    const b = new GraphBuilder('blocks');
    b.defineBlock('pair', { params: {}, inputs: ['left', 'right'] }, (bb, { left, right }) => bb.add('Add', {}, [left, right], 'sum'));
    const x = b.add('Input', { shape: [4] }, [], 'x');
    b.use('pair', {}, [x, x], 'p');
    const bg = b.build();
    const use = nodeInputs(bg, bg.nodes.find((n) => n.id === 'p')!);
    expect(use).toEqual({ min: 2, max: 2, variadic: false, names: ['left', 'right'], modelInput: false });
    expect([0, 1].map((i) => portLabel(use, i))).toEqual(['left', 'right']);
    expect(portLabel(nodeInputs(g, node('add')), 2)).toBe('in2');
  });
});

describe('sameNetwork', () => {
  const base = () => {
    const b = new GraphBuilder('net');
    const x = b.add('Input', { shape: [8] }, [], 'x');
    const d = b.add('Dense', { units: 4 }, [x], 'd');
    b.add('Dense', { units: 2 }, [d], 'head');
    return b.build();
  };
  it('positions, groups, title and description do not change the network', () => {
    const g = base();
    const moved = { ...g, title: 'other', description: 'moved', nodes: g.nodes.map((n) => ({ ...n, position: { x: 1, y: 2 } })), groups: [{ id: 'g', title: 'g', nodes: ['d'] }] };
    expect(sameNetwork(g, moved)).toBe(true);
    // Equal parameters in a copy: the same network.
    expect(sameNetwork(g, structuredClone(g))).toBe(true);
  });
  it('a parameter, a name, a kind, shared weights, an edge or the graph name does', () => {
    const g = base();
    const withNode = (f: (n: Graph['nodes'][number]) => Graph['nodes'][number]) => ({ ...g, nodes: g.nodes.map((n) => (n.id === 'd' ? f(n) : n)) });
    expect(sameNetwork(g, withNode((n) => ({ ...n, params: { ...n.params, units: 5 } })))).toBe(false);
    expect(sameNetwork(g, withNode((n) => ({ ...n, name: 'dense_2' })))).toBe(false);
    expect(sameNetwork(g, withNode((n) => ({ ...n, kind: 'Dropout' })))).toBe(false);
    expect(sameNetwork(g, withNode((n) => ({ ...n, shares: 'head' })))).toBe(false);
    expect(sameNetwork(g, { ...g, edges: g.edges.map((e, i) => (i === 0 ? { ...e, targetPort: 'in1' } : e)) })).toBe(false);
    expect(sameNetwork(g, { ...g, edges: g.edges.slice(1) })).toBe(false);
    expect(sameNetwork(g, { ...g, name: 'other' })).toBe(false);
  });
});
