/**
 * User text on screen. Names, titles and descriptions come from files, links
 * and imports, so a bidirectional control in them (U+202E RIGHT-TO-LEFT
 * OVERRIDE and its kin) could reorder what is drawn: `Report \u202Efdp.exe`
 * would read "Report exe.pdf". Such controls are shown as visible marks, never
 * obeyed, and every element holding user text is bidi-isolated (text.css), so
 * right-to-left names stay inside their own box and column.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function shownText(s: string): string {
  return s.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
