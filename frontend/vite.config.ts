import { defineConfig } from 'vitest/config';

// React's JSX is compiled by esbuild directly (automatic runtime); the React
// plugin is left out on purpose: it only adds fast refresh, which this app
// does not need, and it does not install cleanly here.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // scripts/candidate-budget.mjs reads the chunk graph from it.
    manifest: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
