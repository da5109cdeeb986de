/** Arithmetic text: how a parameter count comes about, e.g. `5·5·3·4 + 4 = 304`. */
import type { WeightSpec } from './types.ts';

/** `98816` → `98,816` (Keras summary style). */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n);
  const digits = Math.abs(r).toString();
  const sign = r < 0 ? '-' : '';
  if (digits.length <= 3 || digits.includes('e')) return sign + digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return sign + out;
}

export function shapeProduct(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * The default expression from declared weight shapes: one product per weight,
 * equal neighbours merged (`4·64` for BatchNormalization's four vectors).
 */
export function weightExpression(weights: readonly WeightSpec[]): string {
  const terms: { text: string; n: number }[] = [];
  for (const w of weights) {
    const text = w.shape.join('·');
    const last = terms[terms.length - 1];
    if (last && last.text === text) last.n++;
    else terms.push({ text, n: 1 });
  }
  return terms.map((t) => (t.n > 1 ? `${t.n}·${t.text}` : t.text)).join(' + ');
}

/**
 * Evaluates an arithmetic expression as written in formulas: integers, `·`
 * and `×` for products, `+`, parentheses. Used to prove every displayed
 * formula equals the count derived from weight shapes.
 */
export function evaluateExpression(text: string): number {
  const src = text.replace(/,(?=\d{3})/g, '');
  let i = 0;
  const skip = () => {
    while (src[i] === ' ') i++;
  };
  const expr = (): number => {
    let v = term();
    skip();
    while (src[i] === '+') {
      i++;
      v += term();
      skip();
    }
    return v;
  };
  const term = (): number => {
    let v = factor();
    skip();
    while (src[i] === '·' || src[i] === '×' || src[i] === '*') {
      i++;
      v *= factor();
      skip();
    }
    return v;
  };
  const factor = (): number => {
    skip();
    if (src[i] === '(') {
      i++;
      const v = expr();
      skip();
      if (src[i] !== ')') throw new Error(`expected ')' at ${i} in ${text}`);
      i++;
      return v;
    }
    const m = /^\d+/.exec(src.slice(i));
    if (!m) throw new Error(`expected a number at ${i} in ${text}`);
    i += m[0].length;
    return Number(m[0]);
  };
  const v = expr();
  skip();
  if (i !== src.length) throw new Error(`unexpected '${src[i]}' at ${i} in ${text}`);
  return v;
}
