/** Writes graph-schemas/netloom.graph.v2.schema.json from the layer registry. */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { graphJsonSchema } from '../src/engine/schema.ts';

export const SCHEMA_PATH = new URL('../graph-schemas/netloom.graph.v2.schema.json', import.meta.url);

export function schemaText(): string {
  return `${JSON.stringify(graphJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SCHEMA_PATH, schemaText());
  console.log(`wrote ${SCHEMA_PATH.pathname}`);
}
