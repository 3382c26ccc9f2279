import { defineConfig } from 'vite';

// Cross-origin isolation (COOP/COEP) lets the wasm backend use SharedArrayBuffer threads, in the
// dev server and in the production preview alike. Workspace packages resolve to their sources.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  resolve: { conditions: ['@qkv/source'] },
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
