/**
 * Autosave and recovery on an in-memory storage: pages of tabs are simulated
 * by fresh editors sharing one "localStorage" and, per tab, one "sessionStorage".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { parseGraphText, serializeGraph, type Graph } from '../../src/engine/index.ts';
import {
  DEFER_NODES, LEGACY_KEY, RECORD_PREFIX, RECOVERY_LIMITS, createRecovery, startAutosave, type KeyValue,
} from '../../src/store/autosave.ts';
import { createEditorStore } from '../../src/store/editor.ts';

/** A Map-backed storage; over `budget` characters (keys and values) it throws as a full browser storage does. */
function memoryStorage(budget = Infinity) {
  const map = new Map<string, string>();
  const used = () => [...map].reduce((n, [k, v]) => n + k.length + v.length, 0);
  const kv = {
    map, used, budget, fail: undefined as Error | undefined,
    getItem: (k: string) => map.get(k) ?? null,
    setItem(k: string, v: string) {
      if (kv.fail) throw kv.fail;
      if (used() - (map.has(k) ? k.length + map.get(k)!.length : 0) + k.length + v.length > kv.budget) {
        throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      }
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
    get length() { return map.size; },
    key: (i: number) => [...map.keys()][i] ?? null,
  };
  return kv satisfies KeyValue;
}

let clock = 1_000;
const now = () => clock++;

/** One page load of a tab: an editor whose autosave writes to `local`, the tab's identity in `session`. */
function openPage(local: KeyValue, session: KeyValue | null) {
  const store = createEditorStore();
  const recovery = createRecovery(local, { session, now });
  const autosave = startAutosave(store, recovery);
  const ed = () => store.getState();
  /** Restores what the page offers, as the Restore button does. */
  const restore = () => {
    const o = recovery.offer()!;
    ed().load(o.graph, 'your autosaved network');
    if (o.dirty) store.setState({ dirty: true });
  };
  return { store, recovery, autosave, ed, restore, offer: () => recovery.offer(), titles: () => recovery.list().map((e) => e.title) };
}

const example = (name: string): Graph => {
  const r = parseGraphText(readFileSync(`examples/${name}.json`, 'utf8'));
  if (!r.ok) throw new Error(`${name} does not load`);
  return r.graph;
};
const LENET = 'LeNet-5 (LeCun et al., 1998)';
const JENA = 'Jena climate GRU (Deep Learning with Python)';
const ALEXNET = 'AlexNet (single tower)';

/** Opens LeNet-5 and changes its last layer: unsaved work. */
function editLenet(p: ReturnType<typeof openPage>) {
  p.ed().load(example('lenet5'), 'lenet5.json');
  expect(p.ed().setParam('dense_2', 'units', 7)).toBeNull();
  return p.ed().graph;
}

describe('work a load replaces', () => {
  test('opening an example over unsaved work keeps it, past later edits and a reload', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    const p1 = openPage(local, tab);
    const mine = editLenet(p1);
    p1.ed().load(example('alexnet'), 'alexnet.json');
    p1.ed().setParam('fc8', 'units', 10);
    p1.ed().setParam('fc8', 'units', 12);

    const p2 = openPage(local, tab);
    expect(p2.offer()!.graph.title).toBe(ALEXNET);
    const entry = p2.recovery.list().find((e) => e.title === LENET)!;
    expect(entry).toMatchObject({ layers: 9, dirty: true });
    expect(serializeGraph(p2.recovery.read(entry.key)!.graph)).toBe(serializeGraph(mine));
  });

  test('New over unsaved work keeps it; the kept record is not copied, the page moves on to a new one', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    const p1 = openPage(local, tab);
    editLenet(p1);
    const before = [...local.map.keys()];
    p1.ed().load({ name: 'untitled', title: 'Untitled network', nodes: [], edges: [] }, 'a new network');
    expect([...local.map.keys()]).toEqual(before);
    p1.ed().addNode('Input', { x: 0, y: 0 });
    expect(local.map.size).toBe(2);

    const p2 = openPage(local, tab);
    expect(p2.offer()!.graph.nodes).toHaveLength(1);
    expect(p2.titles()).toEqual(['Untitled network', LENET]);
  });

  test('the kept work is written before the record is overwritten, even when the last autosave was refused', () => {
    const local = memoryStorage();
    const p1 = openPage(local, memoryStorage());
    editLenet(p1);
    local.fail = Object.assign(new Error('blocked'), { name: 'SecurityError' });
    p1.ed().setParam('dense_2', 'units', 8);
    expect(p1.recovery.status.getState().problem?.kind).toBe('blocked');
    const latest = p1.ed().graph;
    local.fail = undefined;
    p1.ed().load(example('alexnet'), 'alexnet.json');
    expect(p1.recovery.status.getState().problem).toBeNull();
    const kept = p1.recovery.list().find((e) => e.title === LENET)!;
    expect(serializeGraph(p1.recovery.read(kept.key)!.graph)).toBe(serializeGraph(latest));
  });

  test('opening over saved work replaces it: browsing examples does not fill the history', () => {
    const local = memoryStorage();
    const p1 = openPage(local, memoryStorage());
    for (const x of ['lenet5', 'alexnet', 'jena-gru', 'vgg16']) p1.ed().load(example(x), `${x}.json`);
    expect(local.map.size).toBe(1);
    expect(p1.recovery.list()).toEqual([]);
  });
});

describe('tabs and reloads', () => {
  test('two tabs keep their own work: a reload offers each its own, and the other is in the list', () => {
    const local = memoryStorage();
    const [tab1, tab2] = [memoryStorage(), memoryStorage()];
    const a = openPage(local, tab1);
    const b = openPage(local, tab2);
    const lenet = editLenet(a);
    b.ed().load(example('jena-gru'), 'jena-gru.json');
    b.ed().setParam('gru_1', 'units', 64);

    const a2 = openPage(local, tab1);
    const b2 = openPage(local, tab2);
    expect(a2.offer()!.graph.title).toBe(LENET);
    expect(serializeGraph(a2.offer()!.graph)).toBe(serializeGraph(lenet));
    expect(b2.offer()!.graph.title).toBe(JENA);
    expect(a2.titles()).toContain(JENA);
    expect(b2.titles()).toContain(LENET);
  });

  test('an edit made without answering the offer keeps the offered work, through further reloads', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    const mine = editLenet(openPage(local, tab));
    const p2 = openPage(local, tab);
    expect(p2.offer()!.graph.title).toBe(LENET);
    p2.ed().addNode('Dense', { x: 0, y: 0 });
    const p3 = openPage(local, tab);
    expect(p3.offer()!.graph.nodes).toHaveLength(1);
    const entry = p3.recovery.list().find((e) => e.title === LENET)!;
    expect(serializeGraph(p3.recovery.read(entry.key)!.graph)).toBe(serializeGraph(mine));
  });

  test('a page that changes nothing leaves the tab offering the same work on the next reload', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    editLenet(openPage(local, tab));
    openPage(local, tab);
    expect(openPage(local, tab).offer()!.graph.title).toBe(LENET);
  });

  test('a new tab, or a browser without sessionStorage, is offered the newest unsaved work of any tab', () => {
    const local = memoryStorage();
    editLenet(openPage(local, memoryStorage()));
    openPage(local, memoryStorage()).ed().load(example('alexnet'), 'alexnet.json');
    expect(openPage(local, memoryStorage()).offer()!.graph.title).toBe(LENET);
    expect(openPage(local, null).offer()!.graph.title).toBe(LENET);
    // Saved work is listed, not offered.
    const only = memoryStorage();
    openPage(only, memoryStorage()).ed().load(example('alexnet'), 'alexnet.json');
    expect(openPage(only, memoryStorage()).offer()).toBeNull();
    expect(openPage(only, null).titles()).toEqual([ALEXNET]);
  });

  test('identical content is stored once: restoring and reloading again leaves one copy', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    editLenet(openPage(local, tab));
    const p2 = openPage(local, tab);
    p2.restore();
    expect(p2.ed().dirty).toBe(true);
    expect(local.map.size).toBe(2);
    // The list marks the record that holds the network open now.
    expect(p2.recovery.list(p2.ed().graph)).toMatchObject([{ title: LENET, current: true }]);
    p2.ed().setParam('dense_2', 'units', 8);
    expect(p2.recovery.list(p2.ed().graph)).toMatchObject([{ title: LENET, current: false }]);
    p2.ed().undo();
    const p3 = openPage(local, tab);
    expect(p3.offer()!.graph.title).toBe(LENET);
    expect(local.map.size).toBe(1);
    expect(p3.titles()).toEqual([LENET]);
  });

  test('a page whose record another tab removed writes it back, without pushing that tab’s work out', () => {
    const local = memoryStorage();
    const [t1, t2] = [memoryStorage(), memoryStorage()];
    const a = openPage(local, t1);
    const lenet = editLenet(a);
    const b = openPage(local, t2);
    b.ed().load(example('jena-gru'), 'jena-gru.json');
    b.ed().setParam('gru_1', 'units', 64);
    const mine = [...local.map.keys()].find((k) => k.includes(a.recovery.tab))!;
    expect(a.recovery.owns(mine)).toBe(true);
    expect(b.recovery.owns(mine)).toBe(false);

    // Tab 2 clears old recoveries; the storage event tells tab 1, which writes its work back.
    expect(b.recovery.clearOthers()).toBe(1);
    a.autosave.flush(false);
    expect(serializeGraph(openPage(local, t1).offer()!.graph)).toBe(serializeGraph(lenet));

    // With no room left, the write back is reported and tab 2's record stays.
    b.recovery.clearOthers();
    local.budget = local.used() + 100;
    a.autosave.flush(false);
    expect(a.recovery.status.getState().problem).toMatchObject({ kind: 'full' });
    expect(openPage(local, t2).offer()!.graph.title).toBe(JENA);
  });

  test('earlier records (netloom.autosave.v1) are offered and listed', () => {
    const local = memoryStorage();
    local.map.set(LEGACY_KEY, JSON.stringify({ at: 5, dirty: true, graph: serializeGraph(example('lenet5')) }));
    const p = openPage(local, memoryStorage());
    expect(p.offer()).toMatchObject({ at: 5, dirty: true });
    expect(p.recovery.list()).toMatchObject([{ key: LEGACY_KEY, title: LENET, layers: 9, dirty: true }]);
  });

  test('a damaged record is dropped, never offered', () => {
    const local = memoryStorage();
    local.map.set(`${RECORD_PREFIX}abc.0`, '{"graph": 12');
    local.map.set(`${RECORD_PREFIX}abd.0`, JSON.stringify({ at: 1, layers: 2, title: 'x', graph: 'not a graph' }));
    const p = openPage(local, null);
    expect(p.offer()).toBeNull();
    expect(local.map.has(`${RECORD_PREFIX}abc.0`)).toBe(false);
    expect(p.recovery.read(`${RECORD_PREFIX}abd.0`)).toBeNull();
  });
});

describe('bounds and full storage', () => {
  const withTitle = (title: string, g = example('lenet5')): Graph => ({ ...g, title });

  test(`the history holds at most ${RECOVERY_LIMITS.records} records; saved ones go before unsaved ones`, () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    // 14 reloads of one tab, each page with its own network, every other one saved to a file.
    for (let i = 0; i < 14; i++) {
      const p = openPage(local, tab);
      p.ed().load(withTitle(`net ${i}`), `net${i}.json`);
      p.ed().setParam('dense_2', 'units', 7);
      if (i % 2) p.ed().markSaved();
    }
    const titles = openPage(local, tab).titles();
    expect(titles).toHaveLength(RECOVERY_LIMITS.records);
    // The 7 unsaved ones all stay; the oldest saved ones made room.
    for (const i of [0, 2, 4, 6, 8, 10, 12]) expect(titles).toContain(`net ${i}`);
    for (const i of [1, 3, 5, 7]) expect(titles).not.toContain(`net ${i}`);
  });

  test(`one huge graph cannot push the others out (${RECOVERY_LIMITS.chars.toLocaleString('en')} characters in all)`, () => {
    const local = memoryStorage();
    const p = openPage(local, memoryStorage());
    for (const i of [1, 2, 3]) {
      p.ed().load(withTitle(`small ${i}`), 'small.json');
      p.ed().setParam('dense_2', 'units', 7);
    }
    const huge = { ...example('lenet5'), title: 'huge', description: 'x'.repeat(1_500_000) };
    expect(serializeGraph(huge).length).toBeGreaterThan(RECOVERY_LIMITS.largeRecord);
    p.ed().load(huge, 'huge.json');
    p.ed().setMeta({ title: 'huge, edited' });
    // Kept last, the huge one stays; the small ones fit beside it.
    p.ed().load(example('alexnet'), 'alexnet.json');
    expect(p.titles()).toEqual(['huge, edited', 'small 3', 'small 2', 'small 1']);
    // Once it is no longer the newest kept work, it is the first to go when over the cap.
    for (let i = 0; i < 3; i++) {
      p.ed().load({ ...huge, title: `big ${i}`, description: 'z'.repeat(1_500_000 + i) }, 'big.json');
      p.ed().setMeta({ title: `big ${i}, edited` });
    }
    p.ed().load(example('alexnet'), 'alexnet.json');
    expect(p.titles()).toEqual(['big 2, edited', 'small 3', 'small 2', 'small 1']);
    expect(p.recovery.list().reduce((n, e) => n + e.chars, 0)).toBeLessThanOrEqual(RECOVERY_LIMITS.chars);
  });

  test('a full storage drops the oldest recoveries to keep autosaving, and says so', () => {
    const local = memoryStorage(25_000);
    const p = openPage(local, memoryStorage());
    for (const i of [1, 2, 3, 4, 5]) {
      p.ed().load(withTitle(`net ${i}`), 'net.json');
      p.ed().setParam('dense_2', 'units', 7);
    }
    expect(p.titles()).toHaveLength(4);
    p.ed().load(withTitle('big', example('resnet50')), 'resnet50.json');
    // No room for the autosave otherwise: the oldest records made room (the work kept last stays).
    expect(p.titles()).toContain('net 5');
    expect(p.titles()).not.toContain('net 1');
    expect(local.used()).toBeLessThanOrEqual(25_000);
    const st = p.recovery.status.getState();
    expect(st.problem).toBeNull();
    expect(st.info).toMatch(/^Browser storage was full: removed \d+ old recover(y|ies) to keep autosaving\.$/);
    expect(p.offer()).toBeNull();
    // The new network was written: another page lists it.
    expect(openPage(local, null).titles()[0]).toBe('big');
  });

  test('when nothing is left to drop, the failure is reported and replaced work is marked as held only in memory', () => {
    const local = memoryStorage(2_800);
    const p = openPage(local, memoryStorage());
    editLenet(p);
    expect(p.recovery.status.getState()).toMatchObject({ problem: { kind: 'full' }, unsecured: false });
    expect(p.recovery.status.getState().problem!.text).toMatch(/browser storage is full.*Save to a file, or clear old recoveries/);
    // The record never made it, so the work a load replaces is held only here: leaving must warn.
    p.ed().load(example('jena-gru'), 'jena-gru.json');
    expect(p.recovery.status.getState().unsecured).toBe(true);
    expect(p.ed().previous?.title).toBe(LENET);

    // Room again (old recoveries cleared, or a bigger quota): the next write stores the kept work first.
    local.budget = Infinity;
    p.autosave.flush();
    expect(p.recovery.status.getState()).toMatchObject({ problem: null, unsecured: false });
    expect(p.recovery.list().map((e) => e.title)).toEqual([LENET]);
  });

  test('bringing the unstored work back clears the warning (the document itself is unsaved then)', () => {
    const local = memoryStorage(2_800);
    const p = openPage(local, memoryStorage());
    editLenet(p);
    p.ed().load(example('jena-gru'), 'jena-gru.json');
    expect(p.recovery.status.getState().unsecured).toBe(true);
    p.ed().restorePrevious();
    expect(p.ed().dirty).toBe(true);
    expect(p.recovery.status.getState().unsecured).toBe(false);
  });

  test(`a network over ${RECOVERY_LIMITS.record.toLocaleString('en')} characters is not written, and the recoveries stay`, () => {
    const local = memoryStorage(5_000_000);
    const tab = memoryStorage();
    editLenet(openPage(local, tab));
    const p = openPage(local, tab);
    p.ed().load({ ...example('jena-gru'), description: 'x'.repeat(RECOVERY_LIMITS.record) }, 'huge.json');
    expect(p.recovery.status.getState().problem).toMatchObject({ kind: 'large' });
    expect(p.recovery.status.getState().problem!.text).toMatch(/^Autosave failed: the network is too large for browser storage \(4\.0 million characters; autosave writes up to 4 million\)\. Save it to a file/);
    expect(p.titles()).toEqual([LENET]);
    expect(p.recovery.status.getState().info).toBeNull();
    // A network that fits again clears the notice.
    p.ed().load(example('alexnet'), 'alexnet.json');
    expect(p.recovery.status.getState().problem).toBeNull();
  });

  test('clearing old recoveries keeps only this page’s record', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    editLenet(openPage(local, tab));
    const p = openPage(local, tab);
    p.ed().load(example('alexnet'), 'alexnet.json');
    expect(p.titles()).toEqual([LENET]);
    expect(p.recovery.clearOthers()).toBe(1);
    expect(p.titles()).toEqual([]);
    expect(local.map.size).toBe(1);
    expect(p.recovery.status.getState().changes).toBeGreaterThan(0);
  });

  test('a storage that refuses every write never breaks editing', () => {
    const local = memoryStorage();
    local.fail = Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
    const p = openPage(local, memoryStorage());
    editLenet(p);
    expect(p.ed().analysis.totals.params).toBeGreaterThan(0);
    expect(p.recovery.status.getState().problem).toMatchObject({ kind: 'blocked' });
    expect(p.recovery.status.getState().problem!.text).toMatch(/SecurityError/);
  });
});

describe('big networks', () => {
  /** A chain of `n` Dense layers after an input. */
  const chain = (n: number): Graph => ({
    name: 'chain', title: `A ${n}-layer chain`,
    nodes: [{ id: 'in', kind: 'Input', name: 'in', params: { shape: [4] } },
      ...Array.from({ length: n }, (_, i) => ({ id: `d${i}`, kind: 'Dense', name: `d${i}`, params: { units: 4 } }))],
    edges: Array.from({ length: n }, (_, i) => ({ id: `e${i}`, source: i ? `d${i - 1}` : 'in', target: `d${i}`, targetPort: 'in0' })),
  });

  test('a burst of edits to a network over DEFER_NODES layers is written once, after the last edit, and flush writes at once', () => {
    vi.useFakeTimers();
    try {
      const local = memoryStorage();
      let writes = 0;
      const counted = { ...local, setItem(k: string, v: string) { writes++; local.setItem(k, v); } };
      const store = createEditorStore(chain(DEFER_NODES + 10));
      const autosave = startAutosave(store, createRecovery(counted, { session: null, now }), 500);
      writes = 0;
      for (let i = 1; i <= 5; i++) store.getState().setParam('d3', 'units', 4 + i);
      expect(writes).toBe(0);
      expect(autosave.pending()).toBe(true);
      vi.advanceTimersByTime(500);
      expect(writes).toBe(1);
      expect([...local.map.values()].some((v) => v.includes('\\"units\\":9'))).toBe(true);
      store.getState().setParam('d3', 'units', 3);
      autosave.flush();
      expect(writes).toBe(2);
      expect(autosave.pending()).toBe(false);
      autosave.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  test('a small network is written on every change', () => {
    const local = memoryStorage();
    const store = createEditorStore(chain(3));
    const autosave = startAutosave(store, createRecovery(local, { session: null, now }));
    store.getState().setParam('d1', 'units', 7);
    expect(autosave.pending()).toBe(false);
    expect([...local.map.values()].some((v) => v.includes('\\"units\\":7'))).toBe(true);
  });
});
