import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a ployer started on its default port.
const api = process.env.PLOYER_URL ?? 'http://127.0.0.1:3001';

export default defineConfig({
	plugins: [sveltekit()],
	build: { chunkSizeWarningLimit: 2000 },
	server: {
		proxy: {
			'/graphql': { target: api, ws: true, changeOrigin: true }
		}
	}
});
