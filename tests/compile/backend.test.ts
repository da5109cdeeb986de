/**
 * Backend choice and its reasons, in Node: there is no WebGPU and no WebGL
 * here, so `auto` must end on CPU and say why each earlier backend was
 * skipped. The real WebGPU path is covered by the browser tests.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend, describeAdapter } from '../../src/compile/backend.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

// TF.js warns on the console when a backend fails to initialise; the reason is what we check.
const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);

describe('chooseBackend', () => {
  it('falls back to CPU and names why WebGPU and WebGL were not used', async () => {
    quiet();
    vi.stubGlobal('navigator', {});
    const choice = await chooseBackend(tf, 'auto');
    expect(choice.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.reason).toMatch(/^webgpu: navigator\.gpu is missing.*; webgl: webgl failed to initialise/);
    expect(choice.adapter).toBeUndefined();
  });

  it('says when WebGPU exists but gives no adapter', async () => {
    quiet();
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => null } });
    const choice = await chooseBackend(tf, 'webgpu');
    expect(choice.backend).toBe('cpu');
    expect(choice.reason).toMatch(/^webgpu: no WebGPU adapter: navigator\.gpu\.requestAdapter\(\) returned null/);
  });

  it('passes on the message when requesting an adapter throws', async () => {
    quiet();
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => { throw new Error('device lost'); } } });
    const choice = await chooseBackend(tf);
    expect(choice.reason).toMatch(/^webgpu: requesting a WebGPU adapter failed: device lost/);
  });

  it('uses an explicit choice without a reason when it works', async () => {
    const choice = await chooseBackend(tf, 'cpu');
    expect(choice).toEqual({ backend: 'cpu' });
  });
});

describe('describeAdapter', () => {
  it('joins the non-empty, distinct fields of GPUAdapterInfo', () => {
    expect(describeAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'swiftshader' })).toBe('google · swiftshader');
    expect(describeAdapter({ vendor: '', architecture: '' })).toBe('unknown adapter');
    expect(describeAdapter(undefined)).toBe('unknown adapter');
  });
});
