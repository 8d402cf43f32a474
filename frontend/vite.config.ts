import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// The API and WebSocket of a local `chorus all` (make run) during `npm run dev`.
const backend = process.env.CHORUS_DEV_BACKEND ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [vue()],
  build: {
    // No inline script anywhere: the Content-Security-Policy forbids it.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': backend,
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
});
