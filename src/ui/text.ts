/**
 * User text on screen. Names, titles and descriptions come from files, links
 * and imports, so a bidirectional control in them (U+202E RIGHT-TO-LEFT
 * OVERRIDE and its kin) could reorder what is drawn: `Report \u202Efdp.exe`
 * would read "Report exe.pdf". Such controls are shown as visible marks, never
 * obeyed, and every element holding user text is bidi-isolated (text.css), so
 * right-to-left names stay inside their own box and column.
 */
import { markBidi } from '../engine/text.ts';

export function shownText(s: string): string {
  return markBidi(s, '⟨', '⟩');
}
