// The admin UI's build: `npm run build` (tools/scripts/build.mjs) runs it into dist/apps/admin-ui, which the
// gateway serves at `/`. `npx nx run admin-ui:serve` is a dev server that proxies /api to a local gateway.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/admin-ui', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names: the gateway serves /assets/* as immutable.
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Few, larger files for the first load (a browser opens six connections to one HTTP/1.1 host): every
        // library in one chunk, the shell and what every page shares in another; each page outside them (route
        // chunks, router.tsx) stays its own file, fetched when it is first needed.
        codeSplitting: {
          groups: [
            // MSAL stays out: it loads only for Entra sign-in.
            { name: 'vendor', test: /[\\/]node_modules[\\/](?!@azure[\\/])/, priority: 2 },
            { name: 'shell', test: /[\\/]apps[\\/]admin-ui[\\/]src[\\/](api|auth|components|live|shell|runs)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
