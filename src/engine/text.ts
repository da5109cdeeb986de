/**
 * Bidirectional controls in user text. An embedding, override or isolate
 * control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin), or an invisible
 * direction mark, can reorder what is drawn around it: `Report \u202Efdp.exe`
 * reads "Report exe.pdf". The editor and the command line show each as a
 * visible mark instead of obeying it.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every bidi control written as `<U+202E>` (between `open` and `close`). */
export function markBidi(s: string, open = '<', close = '>'): string {
  return s.replace(BIDI_CONTROLS, (c) => `${open}U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}${close}`);
}
