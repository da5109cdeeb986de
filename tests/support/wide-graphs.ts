/** Generated wide networks for browser tests and benches: `count` chains of `length` Dense layers from one input into a Concatenate. */
import { GraphBuilder, layeredLayout, type Graph } from '../../src/engine/index.ts';

export function parallelChains(count: number, length: number): Graph {
  const b = new GraphBuilder(`chains-${count * length + 2}`, { title: `A ${(count * length + 2).toLocaleString('en-US')}-layer network` });
  const x = b.add('Input', { shape: [16] }, [], 'input');
  const ends: string[] = [];
  for (let c = 0; c < count; c++) {
    let prev = x;
    for (let i = 0; i < length; i++) prev = b.add('Dense', { units: 16 }, [prev], `d${c}_${i}`);
    ends.push(prev);
  }
  b.add('Concatenate', {}, ends, 'join');
  return layeredLayout(b.build(), { dx: 230, dy: 110 });
}
