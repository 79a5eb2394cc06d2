import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route renders in the browser from index.html, which the
		// ployer binary embeds and serves for any HTML navigation.
		adapter: adapter({ fallback: 'index.html', precompress: false, strict: true }),
		// The binary serves the UI at the root of its own origin.
		paths: { relative: false },
		version: { pollInterval: 0 }
	}
};

export default config;
