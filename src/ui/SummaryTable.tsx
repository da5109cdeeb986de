/**
 * A Keras-style model summary of one analysis: the per-layer table with each
 * count's arithmetic and share, then totals, display groups and problems.
 * Everything from the graph file is rendered as text.
 */
import { bytesText, fmt, shapeText, type Analysis, type NodeResult, type Problem } from '../engine/index.ts';

/** `12.3 %`; tiny non-zero shares stay visible as `<0.1 %`. */
function shareText(part: number, total: number): string {
  if (total <= 0 || part <= 0) return '–';
  const pct = (part / total) * 100;
  if (pct < 0.1) return '<0.1 %';
  return `${pct.toFixed(1)} %`;
}

function shapeCell(r: NodeResult): string {
  if (r.status === 'error') return 'error';
  if (r.status === 'blocked') return 'blocked';
  return shapeText(r.outputShape);
}

function statusNote(r: NodeResult, nameOf: (id: string) => string): string | undefined {
  if (r.status === 'error') return r.errors.map((e) => e.message).join('\n');
  if (r.status === 'blocked') {
    return r.blockedBy.length ? `blocked by ${r.blockedBy.map(nameOf).join(', ')}` : 'blocked by an upstream problem';
  }
  return undefined;
}

export function ProblemList({ problems }: { problems: readonly Problem[] }) {
  return (
    <ul className="problems">
      {problems.map((p, i) => {
        const where = p.nodeId ?? p.edgeId ?? p.path;
        return (
          <li key={i}>
            {where ? <code className="problem-where">{where}</code> : null}
            {where ? ': ' : null}
            <span>{p.message}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function SummaryTable({ analysis }: { analysis: Analysis }) {
  const { nodes, totals, groups, problems } = analysis;
  const nameOf = (id: string) => analysis.byId.get(id)?.name ?? id;
  const incomplete = nodes.filter((r) => r.status !== 'ok').length;

  return (
    <div className="summary">
      <div className="table-wrap">
        <table className="summary-table">
          <thead>
            <tr>
              <th scope="col">Layer (type)</th>
              <th scope="col">Output shape</th>
              <th scope="col" className="num">Param #</th>
              <th scope="col">Arithmetic</th>
              <th scope="col" className="num">Share of total</th>
              <th scope="col">Connected to</th>
            </tr>
          </thead>
          <tbody>
            {nodes.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty-row">The graph has no layers.</td>
              </tr>
            ) : null}
            {nodes.map((r) => {
              const note = statusNote(r, nameOf);
              const pct = totals.params > 0 ? (r.paramCount / totals.params) * 100 : 0;
              return (
                <tr key={r.id} className={`row-${r.status}`} title={note}>
                  <th scope="row" className="layer-cell">
                    <span className="layer-name">{r.name}</span>{' '}
                    <span className="layer-kind">({r.kind})</span>
                    {r.status !== 'ok' ? <span className="status-badge">{r.status === 'error' ? '✗' : '⊘'}</span> : null}
                  </th>
                  <td className="mono">{shapeCell(r)}</td>
                  <td className="num">{fmt(r.paramCount)}</td>
                  <td className="mono arithmetic">{r.formula}</td>
                  <td className="num share">
                    {pct > 0 ? <span className="share-bar" style={{ width: `${Math.min(100, pct)}%` }} aria-hidden="true" /> : null}
                    <span className="share-text">{shareText(r.paramCount, totals.params)}</span>
                  </td>
                  <td className="connected">{r.inputIds.filter(Boolean).map(nameOf).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <section className="totals" aria-labelledby="totals-heading">
        <h2 id="totals-heading">Totals</h2>
        {incomplete > 0 ? (
          <p className="hint">
            {`Partial: ${incomplete} of ${nodes.length} layers have no shape yet (see Problems) and are not counted.`}
          </p>
        ) : null}
        <dl>
          <dt>Total params</dt>
          <dd className="num">{fmt(totals.params)}</dd>
          <dt>Trainable params</dt>
          <dd className="num">{fmt(totals.trainable)}</dd>
          <dt>Non-trainable params</dt>
          <dd className="num">{fmt(totals.nonTrainable)}</dd>
          <dt>Multiply-adds per sample</dt>
          <dd className="num">{fmt(totals.macs)}</dd>
          <dt>Parameter memory (fp32)</dt>
          <dd className="num">{bytesText(totals.paramBytes)}</dd>
          <dt>Activation memory per sample (fp32)</dt>
          <dd className="num">
            {bytesText(totals.activationBytes)}
            <span className="aside"> ({fmt(totals.activations)} values)</span>
          </dd>
        </dl>
      </section>

      {groups.length > 0 ? (
        <section className="groups" aria-labelledby="groups-heading">
          <h2 id="groups-heading">Groups</h2>
          <p className="hint">Layers drawn as parallel copies (for example two towers), counted together.</p>
          <table className="summary-table groups-table">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Layers</th>
                <th scope="col" className="num">Param #</th>
                <th scope="col">Arithmetic</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.name}>
                  <th scope="row" className="layer-cell">
                    <span className="layer-name">{g.name}</span>
                  </th>
                  <td>{`${g.members.length}× ${g.kind}`}</td>
                  <td className="num">{fmt(g.params)}</td>
                  <td className="mono arithmetic">{g.formula}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section className="problems-section" aria-labelledby="problems-heading">
        <h2 id="problems-heading">
          Problems <span className="count">({problems.length})</span>
        </h2>
        {problems.length ? <ProblemList problems={problems} /> : <p className="hint">None: every layer has a shape.</p>}
      </section>
    </div>
  );
}
