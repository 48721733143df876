import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The browser app; built into dist/web, which `perflab serve` serves. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Named library chunks, so the build report reads as what each route downloads:
        // the lesson route loads `markdown`; only the workspace and the workbench load
        // `codemirror`; only result views load `chart`.
        codeSplitting: {
          groups: [
            {
              name: 'codemirror',
              test: /node_modules[\\/](@codemirror|@lezer|crelt|style-mod|w3c-keyname)[\\/]/,
            },
            {
              name: 'markdown',
              test: /node_modules[\\/](markdown-it|dompurify|highlight\.js|mdurl|uc\.micro|linkify-it|punycode\.js|entities)[\\/]/,
            },
            { name: 'chart', test: /node_modules[\\/](chart\.js|@kurkle)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev:web` proxies the API to a running `perflab serve`.
    proxy: { '/api': 'http://127.0.0.1:4321' },
  },
});
