import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { reporters } from './tests/support/report.ts';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true },
  // Dependencies loaded only by dynamic import are pre-bundled up front: otherwise the dev
  // server finds them on first use and reloads the page (losing a browser test's state).
  optimizeDeps: {
    include: ['elkjs/lib/elk.bundled.js', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    ...reporters('unit'),
  },
});
