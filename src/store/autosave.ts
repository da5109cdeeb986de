/**
 * Autosave and recovery. Every committed change is written to this page's
 * record in a key-value storage (localStorage in the browser, a Map in tests);
 * the other records (work a load replaced, the page before a reload, other tabs)
 * are a short history the Recover list offers. Storage is passed in: importing
 * this touches nothing.
 *
 * A record is `netloom.autosave.v2.<tab>.<seq>`. `tab` names one page: a reload
 * starts a new one, so the page before it stays as it was, and each tab writes
 * only its own keys, so two tabs never overwrite each other. `seq` moves on when
 * a load replaces unsaved work: that work stays in its record and the new
 * document gets the next one, so keeping work copies nothing. A per-tab
 * sessionStorage entry (it survives reloads of that tab only) says which page's
 * record holds the tab's latest work, so a reload offers the tab its own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { graphToDocument, parseGraphText, type Graph } from '../engine/index.ts';

/**
 * The text a record holds: the canonical document, unindented. It reads back
 * like a file; written at a tenth of the pretty printer's cost and about half
 * its size, which is what lets a 50,000-layer network be autosaved without a
 * long pause.
 */
const snapshot = (g: Graph): string => JSON.stringify(graphToDocument(g));
import type { EditorStore } from './editor.ts';

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export const RECORD_PREFIX = 'netloom.autosave.v2.';
/** The one record earlier versions kept; read as a record of its own until the caps remove it. */
export const LEGACY_KEY = 'netloom.autosave.v1';
/** sessionStorage: the page whose record holds this tab's latest work. */
export const TAB_KEY = 'netloom.autosave.tab';

/**
 * Bounds on the history (every record but this page's own): at most 10 records
 * and 3,000,000 characters together (localStorage holds about 5 million per site,
 * and this page's record needs room too). Over either cap, records go in this
 * order: those over 1,000,000 characters first (so one huge graph cannot push out
 * every other), then saved ones, then the oldest. The work this page kept last
 * and the work it offered at startup are never removed to make room. A record over
 * 4,000,000 characters is not written at all: no browser's storage would take it
 * beside anything else, and removing the recoveries could not make room for it.
 */
export const RECOVERY_LIMITS = { records: 10, chars: 3_000_000, largeRecord: 1_000_000, record: 4_000_000 } as const;

export interface Autosaved {
  graph: Graph;
  /** Milliseconds since the epoch. */
  at: number;
  /** The saved state had changes not written to a file. */
  dirty: boolean;
}

/** One line of the Recover list. */
export interface RecoveryEntry {
  /** Its storage key, for `read`. */
  key: string;
  title: string;
  layers: number;
  at: number;
  dirty: boolean;
  /** Characters it takes in storage. */
  chars: number;
  /** Holds exactly the network open now. */
  current: boolean;
}

export interface AutosaveStatus {
  /** Why autosave is not storing the work, or null while it is. Kept as the same object while the cause lasts. */
  problem: { kind: 'full' | 'large' | 'blocked'; text: string } | null;
  /** Something autosave did on its own that the user should know (recoveries removed to make room). */
  info: string | null;
  /** Unsaved work a load replaced could not be stored and lives only in this page: leaving must warn. */
  unsecured: boolean;
  /** Bumped whenever the stored history changes, so an open Recover list reads it again. */
  changes: number;
}

export const FULL_TEXT = 'Autosave failed: browser storage is full, so your latest work is not kept in this browser. Save to a file, or clear old recoveries to make room.';
export const largeText = (chars: number) =>
  `Autosave failed: the network is too large for browser storage (${(chars / 1e6).toFixed(1)} million characters; autosave writes up to ${(RECOVERY_LIMITS.record / 1e6).toFixed(0)} million). Save it to a file to keep it.`;
export const blockedText = (why: string) => `Autosave failed: this browser refuses to store data for netloom (${why}). Save to a file to keep your work.`;

export const createAutosaveStatus = (): StoreApi<AutosaveStatus> =>
  createStore<AutosaveStatus>()(() => ({ problem: null, info: null, unsecured: false, changes: 0 }));

/** A storage error that means "no room": the standard name, Firefox's, and the legacy codes. */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

interface StoredRecord {
  key: string;
  tab: string;
  seq: number;
  at: number;
  dirty: boolean;
  title: string;
  layers: number;
  /** The page this record's page followed (the one before its reload). */
  after: string | null;
  graph: string;
  chars: number;
}

const KEY_RE = /^netloom\.autosave\.v2\.([a-z0-9]+)\.(\d+)$/;

function parseRecord(key: string, raw: string): StoredRecord | null {
  try {
    const r = JSON.parse(raw) as Record<string, unknown>;
    if (typeof r.graph !== 'string') return null;
    const base = { at: typeof r.at === 'number' ? r.at : 0, dirty: r.dirty === true, graph: r.graph, chars: key.length + raw.length };
    if (key === LEGACY_KEY) {
      const g = JSON.parse(r.graph) as { title?: unknown; name?: unknown; nodes?: unknown };
      const title = typeof g.title === 'string' ? g.title : typeof g.name === 'string' ? g.name : 'Untitled network';
      return { ...base, key, tab: 'v1', seq: 0, title, layers: Array.isArray(g.nodes) ? g.nodes.length : 0, after: null };
    }
    const m = KEY_RE.exec(key);
    if (!m) return null;
    return {
      ...base, key, tab: m[1], seq: Number(m[2]),
      title: typeof r.title === 'string' ? r.title : 'Untitled network',
      layers: typeof r.layers === 'number' ? r.layers : 0,
      after: typeof r.after === 'string' ? r.after : null,
    };
  } catch {
    return null;
  }
}

/** Which record goes first when room is needed: oversized ones, then saved ones, then the oldest. */
function evictionOrder(a: StoredRecord, b: StoredRecord): number {
  const big = (r: StoredRecord) => (r.chars > RECOVERY_LIMITS.largeRecord ? 1 : 0);
  return big(b) - big(a) || Number(a.dirty) - Number(b.dirty) || a.at - b.at;
}

function newTabId(): string {
  const c = globalThis.crypto;
  if (c?.getRandomValues) return Array.from(c.getRandomValues(new Uint8Array(8)), (b) => b.toString(36).padStart(2, '0')).join('');
  return Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
}

function readTab(session: KeyValue | null): string | null {
  try {
    const t = session?.getItem(TAB_KEY) ?? null;
    return t && /^[a-z0-9]+$/.test(t) ? t : null;
  } catch {
    return null;
  }
}

export interface Recovery {
  /** This page's name in record keys. */
  readonly tab: string;
  readonly status: StoreApi<AutosaveStatus>;
  /**
   * What to offer at startup: the latest work of the page before this tab's reload,
   * or, in a new tab (or without sessionStorage), the newest unsaved work of any tab.
   */
  offer(): Autosaved | null;
  /** Every record with layers but this page's own, newest first, each content once; `open` marks the one it equals. */
  list(open?: Graph): RecoveryEntry[];
  read(key: string): Autosaved | null;
  /**
   * Writes this page's record. Without `evict`, a full storage is reported but no
   * other record is dropped (a rewrite after another tab removed this one must not
   * push that tab's work out in turn).
   */
  save(graph: Graph, dirty: boolean, evict?: boolean): void;
  /** The key is this page's record (null: the whole storage was cleared). */
  owns(key: string | null): boolean;
  /** Keeps `graph`, unsaved work a load is replacing, in this page's record, and moves the page on to a new one. */
  keep(graph: Graph): void;
  /** Removes every record but this page's own (making room when storage is full); returns how many. */
  clearOthers(): number;
}

export interface RecoveryOptions {
  /** Per-tab storage that survives reloads (sessionStorage); null where there is none. */
  session?: KeyValue | null;
  now?: () => number;
  /** Shared with the views; a fresh one by default. */
  status?: StoreApi<AutosaveStatus>;
}

export function createRecovery(storage: KeyValue, opts: RecoveryOptions = {}): Recovery {
  const now = opts.now ?? Date.now;
  const session = opts.session ?? null;
  const status = opts.status ?? createAutosaveStatus();
  const after = readTab(session);
  const tab = newTabId();
  let seq = 0;
  /** The graph and text last written to the current record (null: nothing there). */
  let written: { graph: Graph; text: string } | null = null;
  let claimed = false;
  /** Replaced work that could not be stored yet; retried before every later write. */
  let pending: { key: string; value: string; graph: Graph } | null = null;
  /** Records never removed to make room: the startup offer and the work kept last. */
  const protect = new Set<string>();
  let failure: 'full' | 'large' | 'blocked' | null = null;
  let failureWhy = '';
  /** Characters of the last write refused for its size (0: none in this operation). */
  let tooLarge = 0;
  let dropped = 0;
  let historyChanged = false;

  const currentKey = () => `${RECORD_PREFIX}${tab}.${seq}`;

  const records = (): StoredRecord[] => {
    const keys: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k && (k.startsWith(RECORD_PREFIX) || k === LEGACY_KEY)) keys.push(k);
      }
    } catch {
      return [];
    }
    const out: StoredRecord[] = [];
    for (const k of keys) {
      let raw: string | null = null;
      try {
        raw = storage.getItem(k);
      } catch {
        // unreadable: skipped
      }
      const r = raw === null ? null : parseRecord(k, raw);
      if (r) out.push(r);
      else if (raw !== null) remove(k); // damaged: it only takes room
    }
    return out;
  };

  const remove = (key: string) => {
    try {
      storage.removeItem(key);
      historyChanged = true;
    } catch {
      // nothing to remove
    }
  };

  /**
   * Writes, dropping history records while storage is full (those no page writes to
   * any more first, then in eviction order); false when nothing is left to drop, or
   * at once without `evict`.
   */
  const put = (key: string, value: string, evict = true): boolean => {
    if (key.length + value.length > RECOVERY_LIMITS.record) {
      tooLarge = key.length + value.length;
      return false;
    }
    for (;;) {
      try {
        storage.setItem(key, value);
        return true;
      } catch (e) {
        if (!isQuotaError(e) || !evict) throw e;
        const all = records();
        const isFrozen = frozen(all);
        const victim = all
          .filter((r) => r.key !== key && r.key !== currentKey() && !protect.has(r.key))
          .sort((a, b) => Number(isFrozen(b)) - Number(isFrozen(a)) || evictionOrder(a, b))[0];
        if (!victim) return false;
        remove(victim.key);
        dropped++;
      }
    }
  };

  const claim = () => {
    if (claimed) return;
    claimed = true;
    try {
      session?.setItem(TAB_KEY, tab);
    } catch {
      // without sessionStorage a reload offers the newest record instead
    }
  };

  const recordValue = (graph: Graph, text: string, dirty: boolean) =>
    JSON.stringify({ v: 2, at: now(), dirty, title: graph.title ?? graph.name, layers: graph.nodes.length, after, graph: text });

  /** Pages known to be gone: those a later page followed, and every record of a tab but its latest. */
  const frozen = (all: StoredRecord[]) => {
    const latest = new Map<string, number>();
    for (const r of all) latest.set(r.tab, Math.max(latest.get(r.tab) ?? -1, r.seq));
    const gone = new Set(all.map((r) => r.after).filter((t): t is string => t !== null));
    if (after) gone.add(after);
    return (r: StoredRecord) => (r.tab === tab ? r.seq < seq : r.seq < latest.get(r.tab)! || gone.has(r.tab));
  };

  /**
   * Identical content is stored once: of the copies nothing writes to any more, the
   * newest stays and the others go. A copy a page may still change is never removed.
   */
  const dedupe = () => {
    const all = records();
    const isFrozen = frozen(all);
    const seen = new Set<string>();
    for (const r of all.filter(isFrozen).sort((a, b) => b.at - a.at)) {
      if (!seen.has(r.graph)) seen.add(r.graph);
      else if (!protect.has(r.key)) remove(r.key);
    }
  };

  const enforceCaps = () => {
    const others = records().filter((r) => r.key !== currentKey());
    let count = others.length;
    let chars = others.reduce((n, r) => n + r.chars, 0);
    for (const r of others.filter((x) => !protect.has(x.key)).sort(evictionOrder)) {
      if (count <= RECOVERY_LIMITS.records && chars <= RECOVERY_LIMITS.chars) break;
      remove(r.key);
      count--;
      chars -= r.chars;
    }
  };

  /** Runs a storage operation and publishes how it went. */
  const run = (op: () => boolean) => {
    dropped = 0;
    historyChanged = false;
    tooLarge = 0;
    try {
      failure = op() ? null : tooLarge ? 'large' : 'full';
    } catch (e) {
      if (isQuotaError(e)) failure = 'full';
      else {
        failure = 'blocked';
        failureWhy = e instanceof Error ? e.name || e.message : String(e);
      }
    }
    if (pending && !failure) failure = 'full';
    const s = status.getState();
    const problem = failure === null ? null
      : s.problem?.kind === failure ? s.problem
      : { kind: failure, text: failure === 'full' ? FULL_TEXT : failure === 'large' ? largeText(tooLarge) : blockedText(failureWhy) };
    const info = dropped
      ? `Browser storage was full: removed ${dropped} old ${dropped === 1 ? 'recovery' : 'recoveries'} to keep autosaving.`
      : s.info;
    const changes = s.changes + (historyChanged || dropped ? 1 : 0);
    if (problem !== s.problem || info !== s.info || changes !== s.changes || s.unsecured !== (pending !== null)) {
      status.setState({ problem, info, changes, unsecured: pending !== null });
    }
  };

  const flushPending = (current: Graph, evict: boolean): boolean => {
    if (!pending) return true;
    // The replaced work is back in the editor: the current record will hold it.
    if (pending.graph === current) pending = null;
    else if (put(pending.key, pending.value, evict)) {
      pending = null;
      historyChanged = true;
    }
    return pending === null;
  };

  const toAutosaved = (r: StoredRecord): Autosaved | null => {
    try {
      const loaded = parseGraphText(r.graph);
      return loaded.ok ? { graph: loaded.graph, at: r.at, dirty: r.dirty } : null;
    } catch {
      return null;
    }
  };

  // Startup: pick the offer first (and protect it), then tidy the history.
  let offered: Autosaved | null = null;
  try {
    const all = records();
    // A new tab is offered only unsaved work: a saved file or an untouched example can simply be opened again.
    const mine = after
      ? all.filter((r) => r.tab === after).sort((a, b) => b.seq - a.seq)[0]
      : all.filter((r) => r.layers > 0 && r.dirty).sort((a, b) => b.at - a.at)[0];
    if (mine && mine.layers > 0) {
      offered = toAutosaved(mine);
      if (offered) protect.add(mine.key);
    }
    dedupe();
    enforceCaps();
  } catch {
    // storage unreadable: nothing to offer
  }

  return {
    tab,
    status,
    offer: () => offered,

    list(open) {
      const seen = new Set<string>();
      const out: RecoveryEntry[] = [];
      const openText = open ? (written?.graph === open ? written.text : snapshot(open)) : null;
      for (const r of records().sort((a, b) => b.at - a.at)) {
        if (r.key === currentKey() || r.layers === 0 || seen.has(r.graph)) continue;
        seen.add(r.graph);
        out.push({ key: r.key, title: r.title, layers: r.layers, at: r.at, dirty: r.dirty, chars: r.chars, current: r.graph === openText });
      }
      return out;
    },

    read(key) {
      let raw: string | null = null;
      try {
        raw = storage.getItem(key);
      } catch {
        return null;
      }
      const r = raw === null ? null : parseRecord(key, raw);
      return r ? toAutosaved(r) : null;
    },

    owns: (key) => key === null || key === currentKey(),

    save(graph, dirty, evict = true) {
      run(() => {
        const kept = flushPending(graph, evict);
        if (!graph.nodes.length) {
          // An empty network is nothing to offer: the record goes (the history is untouched).
          storage.removeItem(currentKey());
          written = null;
          return kept;
        }
        const text = snapshot(graph);
        if (!put(currentKey(), recordValue(graph, text, dirty), evict)) return false;
        written = { graph, text };
        claim();
        return kept;
      });
    },

    keep(graph) {
      run(() => {
        const key = currentKey();
        let ok = true;
        if (written?.graph !== graph) {
          const text = snapshot(graph);
          if (written?.text !== text) {
            const value = recordValue(graph, text, true);
            if (put(key, value)) claim();
            else {
              pending = { key, value, graph };
              ok = false;
            }
          }
        }
        for (const k of protect) if (k.startsWith(`${RECORD_PREFIX}${tab}.`)) protect.delete(k);
        protect.add(key);
        seq++;
        written = null;
        historyChanged = true;
        dedupe();
        enforceCaps();
        return ok;
      });
    },

    clearOthers() {
      let n = 0;
      run(() => {
        for (const r of records()) {
          if (r.key === currentKey()) continue;
          remove(r.key);
          protect.delete(r.key);
          n++;
        }
        return true;
      });
      return n;
    },
  };
}

export interface Autosave {
  stop(): void;
  /** A big network's write is waiting (see DEFER_NODES). */
  pending(): boolean;
  /** Writes the current document now: after old recoveries were cleared, or (without `evict`) after another tab removed this page's record. */
  flush(evict?: boolean): void;
}

/**
 * Networks above this many layers are written a moment after the last change
 * rather than on every change: writing 50,000 layers takes longer than a frame,
 * and a burst of edits then costs one write. The page flushes on leaving.
 */
export const DEFER_NODES = 2000;
/** How long a big network's write waits for more changes, in milliseconds. */
export const DEFER_MS = 800;

/** Writes on every change (big networks shortly after); a load that replaced unsaved work keeps that work first. */
export function startAutosave(store: EditorStore, recovery: Recovery, defer = DEFER_MS): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (evict = true) => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const s = store.getState();
    recovery.save(s.graph, s.dirty, evict);
  };
  const stop = store.subscribe((s, prev) => {
    // `previous` is set to the unsaved work a load replaced: keep it before the record is overwritten.
    if (s.previous && s.previous !== prev.previous) recovery.keep(s.previous);
    if (s.revision === prev.revision && s.dirty === prev.dirty) return;
    if (s.graph.nodes.length > DEFER_NODES) {
      timer ??= setTimeout(() => flush(), defer);
      return;
    }
    flush();
  });
  const n = store.getState().graph.nodes.length;
  if (n > DEFER_NODES) timer = setTimeout(() => flush(), defer);
  else if (n) flush();
  return {
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      stop();
    },
    flush,
    pending: () => timer !== null,
  };
}
