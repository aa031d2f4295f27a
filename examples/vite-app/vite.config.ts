import { defineConfig } from 'vite';
import { tiercache } from 'tiercache/vite';
import { origin } from './origin.ts';

export default defineConfig({
  // The emulated Vercel edge in front of this app's routes (x-vercel-cache on every response).
  plugins: [tiercache({ layers: ['edge'] }), origin()],
});
