import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';
import { ICONS, iconsPlugin } from './build/icons.ts';

const API = process.env.JEMPUT_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [
    solid(),
    iconsPlugin(),
    VitePWA({
      // The app asks before switching to a new version (UpdatePrompt), never reloads by itself.
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Jemput',
        short_name: 'Jemput',
        description: 'Perekaman e-KTP di sekolah: daftar siswa, jadwal kunjungan, hasil dan dasbor.',
        lang: 'id',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f6f8',
        theme_color: '#0b5c8a',
        icons: ICONS.filter((i) => !i.file.includes('apple')).map((i) => ({
          src: `/${i.file}`,
          sizes: `${i.size}x${i.size}`,
          type: 'image/png',
          purpose: i.maskable ? 'maskable' : 'any',
        })),
      },
      workbox: {
        // The app shell: scripts, styles, the page and the icons. Data always comes from /graphql.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/graphql/, /^\/healthz/],
        cleanupOutdatedCaches: true,
        // A new version, once the user accepts it, takes over open pages too (also a first visit
        // that was not yet controlled), so "muat ulang" always reloads into it.
        clientsClaim: true,
      },
    }),
  ],
  server: {
    port: 5173,
    proxy: { '/graphql': { target: API, changeOrigin: true } },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // AG Grid alone is ~250 KB gzipped, loaded with the first grid screen (not the shell).
    chunkSizeWarningLimit: 1200,
    // The PWA plugin's service-worker step is slow by nature; no need to report it every build.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
