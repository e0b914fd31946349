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
    // Terser packs the candidate's entry chunk (mostly React) about 1.3 KB
    // smaller gzipped than esbuild does; that chunk is what a phone on a
    // slow network waits for (scripts/candidate-budget.mjs, 80 KB budget).
    minify: 'terser',
    terserOptions: { compress: { passes: 2 }, format: { comments: false } },
    // No modulepreload polyfill in the entry chunk (about 0.4 KB gzipped):
    // the browsers that lack <link rel=modulepreload> fetch a chunk when it
    // is imported instead, which only costs them the head start.
    modulePreload: { polyfill: false },
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
