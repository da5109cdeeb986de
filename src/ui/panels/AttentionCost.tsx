/**
 * How an attention layer's cost grows with the sequence: its multiply-adds
 * (or FLOPs, in the summary's convention) for self-attention over L = 128 …
 * 4096 positions, split into the projections (linear in L) and the
 * attention itself, Q·Kᵀ and the weighted sum of the values (quadratic in L).
 */
import mha, { attendMacs, attentionDims, projectionMacs } from '../../engine/layers/attention/multi-head-attention.ts';
import type { NodeResult } from '../../engine/index.ts';
import { costText } from '../../store/conventions.ts';
import { useView } from '../state.ts';

/** The sequence lengths the table shows. */
export const ATTENTION_LENGTHS = [128, 256, 512, 1024, 2048, 4096] as const;

export function AttentionCost({ result }: { result: NodeResult }) {
  const cost = useView((s) => s.cost);
  if (result.kind !== mha.kind || result.status !== 'ok') return null;
  const d = attentionDims(result.inputShapes, result.params as never);
  // The non-attention axes act as more batch; a grid's attention axes are the L positions here.
  const groups = d.groups ?? 1;
  const rows = ATTENTION_LENGTHS.map((l) => {
    const proj = groups * projectionMacs(d, l, l);
    const attend = groups * attendMacs(d, l, l);
    return { l, proj, attend, total: proj + attend };
  });
  return (
    <section className="attention-cost" aria-label="Attention cost by sequence length" data-testid="attention-cost">
      <h3>Cost by sequence length <span className="aside">self-attention, L query and key positions</span></h3>
      <table className="mono">
        <thead>
          <tr><th>L</th><th>projections</th><th>Q·Kᵀ + weights·V</th><th>total</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.l}>
              <td>{r.l}</td>
              <td>{costText(r.proj, cost)}</td>
              <td>{costText(r.attend, cost)}</td>
              <td>{costText(r.total, cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="aside">
        projections L·{d.heads}·({d.dq}·{d.keyDim} + {d.dk}·{d.keyDim} + {d.dv}·{d.valueDim} + {d.valueDim}·{d.dOut}); attention {d.heads}·L²·({d.keyDim} + {d.valueDim})
      </p>
    </section>
  );
}
