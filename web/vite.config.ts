import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a ployer started on its default port.
const api = process.env.PLOYER_URL ?? 'http://127.0.0.1:3001';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// GraphiQL's chunk (loaded by the playground page only) is large by nature.
		chunkSizeWarningLimit: 2000,
		rollupOptions: {
			onwarn(warning, warn) {
				// React libraries' "use client" markers mean nothing in a client-only bundle.
				if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
				warn(warning);
			}
		}
	},
	server: {
		proxy: {
			'/graphql': { target: api, ws: true, changeOrigin: true }
		}
	}
});
