/**
 * One inspector field generated from a parameter schema. The text typed is
 * kept locally; only a value the schema accepts reaches the store, and the
 * store's refusal is shown on the field.
 */
import { useEffect, useState } from 'react';
import type { ParamSchema, ParamValue } from '../../engine/index.ts';

interface Props {
  id: string;
  field: string;
  schema: ParamSchema;
  value: ParamValue;
  /** Applies a value; returns the problem, or null when applied. */
  apply: (value: unknown) => string | null;
}

/** Text → value for the schema's type; a string result is a parse problem. */
function parse(schema: ParamSchema, parts: string[]): unknown {
  const num = (t: string) => (t.trim() === '' ? NaN : Number(t));
  switch (schema.type) {
    case 'int':
    case 'float':
      return num(parts[0]);
    case 'optInt':
    case 'optFloat':
      return parts[0].trim() === '' ? null : num(parts[0]);
    case 'tuple':
      return parts.map(num);
    case 'optTuple':
      return parts.every((p) => p.trim() === '') ? null : parts.map(num);
    case 'optList':
      return parts[0].trim() === '' ? null : parts[0].split(/[,×x\s]+/).filter(Boolean).map(Number);
    case 'list':
      return parts[0].split(/[,×x\s]+/).filter(Boolean).map(Number);
    case 'pads':
      return JSON.parse(parts[0]);
    default:
      return parts[0];
  }
}

function toParts(schema: ParamSchema, v: ParamValue): string[] {
  switch (schema.type) {
    case 'tuple':
    case 'optTuple':
      return Array.isArray(v) ? v.map(String) : Array.from({ length: schema.length }, () => '');
    case 'list':
    case 'optList':
      return [Array.isArray(v) ? v.join(', ') : ''];
    case 'pads':
      return [JSON.stringify(v)];
    default:
      return [v === null ? '' : String(v)];
  }
}

function bounds(schema: ParamSchema): string {
  if ('min' in schema && 'max' in schema) return schema.max >= 2 ** 31 - 1 ? `≥ ${schema.min}` : `${schema.min}–${schema.max}`;
  return '';
}

export function ParamField({ id, field, schema, value, apply }: Props) {
  const [parts, setParts] = useState(() => toParts(schema, value));
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = `param-${id}-${field}`;

  // The store's value wins whenever it changes (undo, another edit).
  useEffect(() => {
    setParts(toParts(schema, value));
    setProblem(null);
  }, [value, schema]);

  const commit = (next: string[]) => {
    setParts(next);
    let v: unknown;
    try {
      v = parse(schema, next);
    } catch {
      setProblem(`${field} must be written like ${JSON.stringify(schema.default)}`);
      return;
    }
    setProblem(apply(v));
  };

  let control;
  if (schema.type === 'bool') {
    control = (
      <input id={inputId} type="checkbox" role="switch" checked={value === true} onChange={(e) => setProblem(apply(e.target.checked))} />
    );
  } else if (schema.type === 'enum') {
    control = (
      <select id={inputId} value={String(value)} onChange={(e) => setProblem(apply(e.target.value))}>
        {schema.values.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
    );
  } else if (schema.type === 'tuple' || schema.type === 'optTuple') {
    control = (
      <span className="tuple" id={inputId}>
        {parts.map((p, i) => (
          <input
            key={i}
            type="number"
            aria-label={`${field} ${i + 1}`}
            name={`${field}.${i}`}
            value={p}
            min={schema.min}
            placeholder={schema.type === 'optTuple' ? 'auto' : ''}
            onChange={(e) => commit(parts.map((q, j) => (j === i ? e.target.value : q)))}
          />
        ))}
      </span>
    );
  } else {
    const numeric = schema.type === 'int' || schema.type === 'float' || schema.type === 'optInt' || schema.type === 'optFloat';
    control = (
      <input
        id={inputId}
        name={field}
        type={numeric ? 'number' : 'text'}
        step={schema.type === 'float' || schema.type === 'optFloat' ? 'any' : 1}
        value={parts[0]}
        placeholder={schema.type === 'optInt' || schema.type === 'optList' ? 'auto' : schema.type === 'optFloat' ? 'none' : ''}
        onChange={(e) => commit([e.target.value])}
      />
    );
  }

  return (
    <div className={`field${problem ? ' invalid' : ''}`} data-field={field}>
      <label htmlFor={inputId}>
        {field} <span className="aside">{bounds(schema)}</span>
      </label>
      {control}
      {problem ? <p className="field-problem" role="alert">{problem}</p> : null}
      {schema.doc ? <p className="hint">{schema.doc}</p> : null}
    </div>
  );
}
