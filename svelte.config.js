import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** The app's source lives in web/ (routes, lib, app.html); the build goes to build/. */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: {
      routes: 'web/routes',
      lib: 'web/lib',
      appTemplate: 'web/app.html',
      hooks: { server: 'web/hooks.server', client: 'web/hooks.client', universal: 'web/hooks' },
      params: 'web/params',
      assets: 'web/static',
      serviceWorker: 'web/service-worker'
    },
    alias: { $queries: 'queries', $ingest: 'ingest' }
  }
};
