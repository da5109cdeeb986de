/**
 * Text from files reaches the terminal only through these functions: names,
 * titles, kinds, parameter values and messages come from untrusted files, and
 * a terminal acts on control characters (clear the screen, set the window
 * title, write the clipboard, hide text) and bidi controls (show a name
 * reversed). Each one is printed as visible text instead, so what the user
 * sees is what the file holds.
 */
import { markBidi } from '../engine/text.ts';

/** C0 controls but the newline, DEL and the C1 controls. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0');

/** `\x1b` for ESC (as the bytes would be written in C or JavaScript), `<U+202E>` for a bidi control; newlines stay. */
export function printable(s: string): string {
  return markBidi(s.replace(CONTROL, (c) => `\\x${hex(c, 2).toLowerCase()}`));
}

/** printable() for text that must stay on one line (a problem, a note): newlines show as `\n`. */
export function printableLine(s: string): string {
  return printable(s.replace(/\r?\n/g, '\\n'));
}

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1 controls,
 * bidi controls, line and paragraph separators) written as `\uXXXX` escapes:
 * still valid JSON that reads back the same strings, and safe to print.
 */
export function terminalJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${hex(c, 4).toLowerCase()}`);
}
