/**
 * Canvas groups: which nodes form a stem, a stage, a block. Pure: graph in,
 * groups out; nothing here knows React.
 *
 * An imported flat model is grouped by its Keras layer names, which encode
 * the structure the network was written with:
 *   `conv2_block1_1_conv`            stage conv2, block conv2_block1 (keras.applications ResNet, DenseNet)
 *   `res2a_branch2a`, `bn2a_branch2a` stage 2, block 2a (Keras 2 ResNet50)
 *   `block3a_expand_conv`            stage block3, block block3a (EfficientNet)
 *   `transformer_layer_3/…`          block transformer_layer_3 (any `scope/…` name)
 * A layer with a Keras default name (`activation_7`, `add_3`) carries no
 * prefix: it joins the block of its input reached last (for a residual Add,
 * the branch that ends there rather than the shortcut), the way the ReLU
 * after that Add belongs to the Add's block. Layers
 * before the first block form the stem. Without such names, each residual
 * merge (an Add or Concatenate) and the branches from the layer where they
 * fork make a block: repeated structure found from the wiring alone.
 */
import { buildStructure } from './graph.ts';
import { getLayer, KIND } from './layers/index.ts';
import type { Graph, GraphGroup, GraphNode } from './types.ts';

interface Key { stage?: { id: string; title: string }; block: { id: string; title: string } }

const PATTERNS: ((name: string) => Key | null)[] = [
  (n) => {
    const m = /^conv(\d+)_block(\d+)_/.exec(n);
    return m ? { stage: { id: `conv${m[1]}`, title: `conv${m[1]}` }, block: { id: `conv${m[1]}_block${m[2]}`, title: `conv${m[1]}_block${m[2]}` } } : null;
  },
  (n) => {
    const m = /^(?:res|bn)(\d+)([a-z]+)_branch/.exec(n);
    return m ? { stage: { id: `stage${m[1]}`, title: `stage ${m[1]}` }, block: { id: `res${m[1]}${m[2]}`, title: `res${m[1]}${m[2]}` } } : null;
  },
  (n) => {
    const m = /^block(\d+)([a-z])_/.exec(n);
    return m ? { stage: { id: `block${m[1]}`, title: `block${m[1]}` }, block: { id: `block${m[1]}${m[2]}`, title: `block${m[1]}${m[2]}` } } : null;
  },
  (n) => {
    const m = /^([^/]+)\/./.exec(n);
    return m ? { block: { id: m[1], title: m[1] } } : null;
  },
];

/** The block a layer name places it in, or null. */
export function nameKey(name: string): Key | null {
  for (const p of PATTERNS) {
    const k = p(name);
    if (k) return k;
  }
  return null;
}

/** A Keras default name: the class in snake case and a number (`activation_7`, `max_pooling2d_1`, `add_3`). */
export const isDefaultName = (name: string): boolean => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d+$/.test(name) && !nameKey(name);

/** Node ids in topological order (ties in file order; buildStructure's order), then those on or behind a cycle in file order. */
function topoOrder(graph: Graph): string[] {
  const s = buildStructure(graph);
  return [...s.order, ...s.cyclic].map((p) => s.nodes[p].id);
}

function inputsOf(graph: Graph): Map<string, string[]> {
  const ins = new Map<string, string[]>();
  for (const e of graph.edges) (ins.get(e.target) ?? ins.set(e.target, []).get(e.target)!).push(e.source);
  return ins;
}

/** Groups for a graph from its layer names, else from its residual merges; [] when neither finds two blocks. */
export function autoGroups(graph: Graph): GraphGroup[] {
  const byName = nameGroups(graph);
  return byName.length ? byName : mergeGroups(graph);
}

function nameGroups(graph: Graph): GraphGroup[] {
  const order = topoOrder(graph);
  const rank = new Map(order.map((id, i) => [id, i]));
  const byId = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
  const ins = inputsOf(graph);
  const block = new Map<string, string>();
  const blocks = new Map<string, { key: Key; nodes: string[] }>();
  for (const id of order) {
    const n = byId.get(id)!;
    let key = nameKey(n.name);
    if (!key && isDefaultName(n.name)) {
      // The input reached last is the branch that ends here (a residual Add's long branch, not its shortcut).
      const from = ins.get(id) ?? [];
      let last: string | undefined;
      for (const f of from) if (last === undefined || rank.get(f)! > rank.get(last)!) last = f;
      const b = last === undefined ? undefined : block.get(last);
      if (b) key = blocks.get(b)!.key;
    }
    if (!key) continue;
    block.set(id, key.block.id);
    (blocks.get(key.block.id) ?? blocks.set(key.block.id, { key, nodes: [] }).get(key.block.id)!).nodes.push(id);
  }
  const real = [...blocks.values()].filter((b) => b.nodes.length >= 2);
  if (real.length < 2) return [];
  const groups: GraphGroup[] = [];
  const firstGrouped = order.findIndex((id) => real.some((b) => b.nodes.includes(id)));
  const stem = order.slice(0, firstGrouped).filter((id) => !block.has(id));
  if (stem.length >= 2) groups.push({ id: 'stem', title: 'stem', nodes: stem });
  const stages = new Map<string, { title: string; blocks: number }>();
  for (const b of real) if (b.key.stage) {
    const s = stages.get(b.key.stage.id) ?? { title: b.key.stage.title, blocks: 0 };
    s.blocks++;
    stages.set(b.key.stage.id, s);
  }
  const used = new Set(groups.map((g) => g.id));
  const uniq = (id: string) => {
    let u = id;
    for (let i = 2; used.has(u); i++) u = `${id}_${i}`;
    used.add(u);
    return u;
  };
  const stageIds = new Map<string, string>();
  for (const [id, s] of stages) {
    if (s.blocks < 2) continue;
    const gid = uniq(id);
    stageIds.set(id, gid);
    groups.push({ id: gid, title: s.title, nodes: [] });
  }
  for (const b of real) {
    const parent = b.key.stage ? stageIds.get(b.key.stage.id) : undefined;
    groups.push({ id: uniq(b.key.block.id), title: b.key.block.title, nodes: b.nodes, ...(parent ? { parent } : {}) });
  }
  return groups;
}

/** A merge (Add, Concatenate, Multiply, …): the layer registry's Merge category. */
const isMerge = (kind: string) => getLayer(kind)?.category === 'Merge';
/** How far back a merge's branches are followed to find where they fork. */
const REACH = 64;

/** Each merge of two or more branches, with everything from their fork to it (and a default-named layer right after), is a block. */
function mergeGroups(graph: Graph): GraphGroup[] {
  const order = topoOrder(graph);
  const rank = new Map(order.map((id, i) => [id, i]));
  const byId = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
  const ins = inputsOf(graph);
  const outs = new Map<string, string[]>();
  for (const e of graph.edges) (outs.get(e.source) ?? outs.set(e.source, []).get(e.source)!).push(e.target);
  const taken = new Set<string>();
  const groups: GraphGroup[] = [];
  const ancestors = (start: string): Set<string> => {
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length && seen.size < REACH) {
      for (const s of ins.get(stack.pop()!) ?? []) if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
    return seen;
  };
  for (const id of order) {
    const n = byId.get(id)!;
    const from = ins.get(id) ?? [];
    if (!isMerge(n.kind) || from.length < 2) continue;
    const sets = from.map(ancestors);
    let fork: string | null = null;
    for (const a of sets[0]) if (sets.every((s) => s.has(a)) && (fork === null || rank.get(a)! > rank.get(fork)!)) fork = a;
    if (fork === null) continue;
    // Between the fork and the merge: ancestors of the merge that the fork reaches.
    const members = new Set<string>();
    for (const s of sets) for (const a of s) if (a !== fork && rank.get(a)! > rank.get(fork)! && !taken.has(a)) members.add(a);
    members.add(id);
    const next = outs.get(id) ?? [];
    if (next.length === 1 && (ins.get(next[0]) ?? []).length === 1 && byId.get(next[0])!.kind === KIND.Activation) members.add(next[0]);
    if (members.size < 3) continue;
    const list = order.filter((x) => members.has(x));
    for (const x of list) taken.add(x);
    groups.push({ id: `block${groups.length + 1}`, title: `block ${groups.length + 1}`, nodes: list });
  }
  return groups.length >= 2 ? groups : [];
}

/** Problems with a graph's groups, as messages naming the group and the fix (used by file validation). */
export function groupProblems(graph: Graph): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const ids = new Map<string, number>();
  const owner = new Map<string, string>();
  (graph.groups ?? []).forEach((g, i) => {
    if (ids.has(g.id)) problems.push({ path: `/groups/${i}/id`, message: `group id '${g.id}' is used twice (groups ${ids.get(g.id)} and ${i}); give each group its own id` });
    ids.set(g.id, i);
  });
  (graph.groups ?? []).forEach((g, i) => {
    g.nodes.forEach((n, j) => {
      if (!nodes.has(n)) problems.push({ path: `/groups/${i}/nodes/${j}`, message: `group '${g.id}' lists node '${n}', which is not in the graph; remove it from the group` });
      else if (owner.has(n)) problems.push({ path: `/groups/${i}/nodes/${j}`, message: `node '${n}' is in groups '${owner.get(n)}' and '${g.id}'; a node belongs to one group` });
      else owner.set(n, g.id);
    });
    if (g.parent !== undefined && !ids.has(g.parent)) problems.push({ path: `/groups/${i}/parent`, message: `group '${g.id}' sits in group '${g.parent}', which does not exist; remove "parent" or add that group` });
  });
  // No group may sit inside itself.
  const parentOf = new Map((graph.groups ?? []).map((g) => [g.id, g.parent]));
  (graph.groups ?? []).forEach((g, i) => {
    const seen = new Set<string>();
    for (let p: string | undefined = g.id; p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) {
        problems.push({ path: `/groups/${i}/parent`, message: `group '${g.id}' sits inside itself through "parent"; break the loop` });
        break;
      }
      seen.add(p);
    }
  });
  return problems;
}

/** Node id → the chain of groups it sits in, innermost first. */
export function groupChains(groups: readonly GraphGroup[]): Map<string, string[]> {
  const parent = new Map(groups.map((g) => [g.id, g.parent]));
  const out = new Map<string, string[]>();
  for (const g of groups) {
    const chain: string[] = [];
    const seen = new Set<string>();
    for (let p: string | undefined = g.id; p !== undefined && !seen.has(p); p = parent.get(p)) {
      seen.add(p);
      chain.push(p);
    }
    for (const n of g.nodes) out.set(n, chain);
  }
  return out;
}

/**
 * What the canvas draws for each node: itself, or the outermost collapsed
 * group it sits in (one box for the whole group); edges inside one box vanish,
 * edges into or out of it attach to the box.
 */
export function visibleAs(groups: readonly GraphGroup[]): Map<string, string> {
  const collapsed = new Set(groups.filter((g) => g.collapsed).map((g) => g.id));
  const out = new Map<string, string>();
  for (const [node, chain] of groupChains(groups)) {
    let as: string | undefined;
    for (const g of chain) if (collapsed.has(g)) as = g;
    if (as) out.set(node, as);
  }
  return out;
}

/** Group id → every node of the group, its subgroups' included (one pass over the chains). */
export function groupMembers(groups: readonly GraphGroup[]): Map<string, string[]> {
  const out = new Map<string, string[]>(groups.map((g) => [g.id, []]));
  for (const [node, chain] of groupChains(groups)) for (const g of chain) out.get(g)?.push(node);
  return out;
}


/** Groups with `ids` collapsed (or expanded). */
export function setCollapsed(groups: readonly GraphGroup[], ids: ReadonlySet<string>, collapsed: boolean): GraphGroup[] {
  return groups.map((g) => {
    if (!ids.has(g.id)) return g;
    const { collapsed: _, ...rest } = g;
    return collapsed ? { ...rest, collapsed: true } : rest;
  });
}

/** A new group of the given nodes, taken out of the groups they were in (they stay nested in the innermost group common to them). */
export function groupSelection(groups: readonly GraphGroup[], nodes: readonly string[], title: string): { groups: GraphGroup[]; id: string } {
  const pick = new Set(nodes);
  const chains = groupChains(groups);
  const used = new Set(groups.map((g) => g.id));
  let id = 'group1';
  for (let i = 1; used.has(id); i++) id = `group${i}`;
  // The enclosing group: the innermost group every picked node's chain shares.
  let common: string[] | null = null;
  for (const n of nodes) {
    const c = chains.get(n) ?? [];
    common = common === null ? c : common.filter((g) => c.includes(g));
  }
  const parent = common?.[0];
  const rest = groups.map((g) => (g.nodes.some((n) => pick.has(n)) ? { ...g, nodes: g.nodes.filter((n) => !pick.has(n)) } : g));
  return { groups: [...rest, { id, title, nodes: [...nodes], ...(parent ? { parent } : {}) }], id };
}

/** Groups without group `id`: its nodes and subgroups move to its parent. */
export function ungroup(groups: readonly GraphGroup[], id: string): GraphGroup[] {
  const g = groups.find((x) => x.id === id);
  if (!g) return [...groups];
  return groups.filter((x) => x.id !== id).map((x) => {
    let y = x;
    if (x.parent === id) y = g.parent ? { ...x, parent: g.parent } : (({ parent: _, ...r }) => r)(x);
    if (g.parent && y.id === g.parent) y = { ...y, nodes: [...y.nodes, ...g.nodes] };
    return y;
  });
}

/**
 * An imported graph with its automatic groups: every innermost group but the
 * stem starts collapsed, so a deep network opens as its stem and one box per
 * block. A graph that has groups, or gets none, is returned as it is.
 */
export function withAutoGroups(graph: Graph): Graph {
  if (graph.groups) return graph;
  const groups = autoGroups(graph);
  if (!groups.length) return graph;
  const parents = new Set(groups.map((g) => g.parent).filter(Boolean));
  return { ...graph, groups: groups.map((g) => (parents.has(g.id) || g.id === 'stem' ? g : { ...g, collapsed: true })) };
}
