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
      errorTemplate: 'web/error.html',
      hooks: { server: 'web/hooks.server', client: 'web/hooks.client', universal: 'web/hooks' },
      params: 'web/params',
      assets: 'web/static',
      serviceWorker: 'web/service-worker'
    },
    alias: { $queries: 'queries', $ingest: 'ingest' },
    // What the pages need and nothing more: scripts only from this server (SvelteKit adds a nonce
    // to its own inline start-up script); inline styles, which Svelte, Plot's SVG and CodeMirror
    // write; images and audio from this server (blob: and data: for charts and icons); no frames,
    // no plugins, no posting forms elsewhere.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'media-src': ['self', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'worker-src': ['self', 'blob:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    }
  }
};
