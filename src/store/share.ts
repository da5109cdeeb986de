/**
 * Share links: the graph file, deflated with the platform's CompressionStream
 * and written base64url into the URL fragment (`#g=…`), so it never reaches a server.
 */
import { serializeGraph, type Graph } from '../engine/index.ts';

export const SHARE_PREFIX = 'g=';
/** A link longer than this is refused before inflating (guards against decompression bombs). */
export const MAX_SHARE_CHARS = 2_000_000;
const MAX_INFLATED_BYTES = 50 * 1024 * 1024;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  const reader = out.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`it inflates to more than ${limit / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (all.set(c, at), (at += c.length));
  return all;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it contains characters a netloom link never has');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** `g=<base64url of deflate-raw(graph file)>`, the fragment without `#`. */
export async function encodeShare(graph: Graph): Promise<string> {
  const bytes = new TextEncoder().encode(serializeGraph(graph));
  return SHARE_PREFIX + toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
}

/** Is this fragment (without `#`) a share link? */
export const isShareFragment = (fragment: string): boolean => fragment.startsWith(SHARE_PREFIX);

/** The graph file text in a share fragment; throws an Error whose message says what is wrong. */
export async function decodeShare(fragment: string): Promise<string> {
  if (!isShareFragment(fragment)) throw new Error('it is not a netloom share link (#g=…)');
  const body = fragment.slice(SHARE_PREFIX.length);
  if (body.length > MAX_SHARE_CHARS) throw new Error('it is too long');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(body);
  } catch (e) {
    throw new Error(e instanceof Error && e.message.startsWith('it ') ? e.message : 'its data is damaged (it may have been cut short when copied)');
  }
  let inflated: Uint8Array;
  try {
    inflated = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED_BYTES);
  } catch (e) {
    throw new Error(e instanceof Error && e.message.startsWith('it ') ? e.message : 'its data is damaged (it may have been cut short when copied)');
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(inflated);
}
