/** An imported model Keras named by default is titled after its file. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createEditorStore, isDefaultModelName } from '../../src/store/editor.ts';

const fixtureText = (name: string) => readFileSync(new URL(`../interop/fixtures/${name}`, import.meta.url), 'utf8');

test('Keras default names are recognised; chosen names are not', () => {
  for (const n of ['model', 'model_1', 'sequential', 'sequential_3', 'functional', 'Functional_12']) expect(isDefaultModelName(n)).toBe(true);
  for (const n of ['twin', 'resnet50', 'model_a', 'my_model']) expect(isDefaultModelName(n)).toBe(false);
});

test('ts-resnet50.json, whose model Keras called model_1, is titled ts-resnet50; a named model keeps its name', () => {
  const ed = createEditorStore();
  const doc = JSON.parse(fixtureText('reference/ts-resnet50.json'));
  delete doc.weightsManifest;
  expect(ed.getState().loadText(JSON.stringify(doc), 'ts-resnet50.json')).toBe(true);
  expect(ed.getState().graph.title).toBe('ts-resnet50');
  expect(ed.getState().loadText(fixtureText('keras2-functional.json'), 'keras2-functional.json')).toBe(true);
  expect(ed.getState().graph.title).toBe('twin');
  // A file called model.json gives no better title.
  expect(ed.getState().loadText(JSON.stringify(doc), 'model.json')).toBe(true);
  expect(ed.getState().graph.title).toBe('model_1');
});
