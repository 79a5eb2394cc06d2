// How the binary serves the UI: deep links, missing assets, caching, compression and the
// security headers — and every page renders under its CSP with no violation.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { http, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

let ployer;

before(async () => {
	ployer = await startPloyer();
});

after(async () => {
	await ployer?.stop();
});

const html = { accept: 'text/html,application/xhtml+xml' };

test('a deep link reloads as the app, with the security headers', async () => {
	const res = await http(ployer.port, '/applications/some-id/deployments', { headers: html });
	assert.equal(res.status, 200);
	assert.match(res.headers['content-type'], /text\/html/);
	assert.match(res.body.toString(), /_app\/immutable/);
	const csp = res.headers['content-security-policy'];
	assert.match(csp, /default-src 'self'/);
	assert.match(csp, /frame-ancestors 'none'/);
	assert.match(csp, /script-src 'self' 'sha256-/);
	assert.equal(res.headers['x-content-type-options'], 'nosniff');
	assert.equal(res.headers['referrer-policy'], 'no-referrer');
	assert.match(res.headers['cache-control'], /no-cache/);
});

test('a missing asset is a 404, not the app', async () => {
	for (const path of ['/_app/immutable/chunks/missing.js', '/missing.png', '/favicon-missing.svg']) {
		const res = await http(ployer.port, path, { headers: html });
		assert.equal(res.status, 404, path);
	}
	const api = await http(ployer.port, '/graphql/nothing', { headers: html });
	assert.equal(api.status, 404);
	const health = await http(ployer.port, '/healthz');
	assert.equal(health.body.toString(), 'ok');
});

test('hashed assets are immutable, compressed and revalidated with their ETag', async () => {
	const index = (await http(ployer.port, '/', { headers: html })).body.toString();
	// One big enough to have been precompressed.
	const asset = [...index.matchAll(/\/_app\/immutable\/[^"]+\.js/g)]
		.map((m) => m[0])
		.find((path) => existsSync(new URL(`../build${path}.gz`, import.meta.url)));
	const gz = await http(ployer.port, asset, { headers: { 'accept-encoding': 'gzip' } });
	assert.equal(gz.status, 200);
	assert.equal(gz.headers['content-encoding'], 'gzip');
	assert.match(gz.headers['cache-control'], /immutable/);
	assert.match(gz.headers.vary, /accept-encoding/i);
	const etag = gz.headers.etag;
	assert.ok(etag);
	const again = await http(ployer.port, asset, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
	assert.equal(again.status, 304);
	const br = await http(ployer.port, asset, { headers: { 'accept-encoding': 'br, gzip' } });
	assert.equal(br.headers['content-encoding'], 'br');
	const plain = await http(ployer.port, asset);
	assert.equal(plain.headers['content-encoding'], undefined);
	assert.equal(plain.body.toString(), readFileSync(new URL(`../build${asset}`, import.meta.url), 'utf8'));
});

test('every page renders with no CSP violation and nothing leaves this machine', async () => {
	await registerAdmin(ployer.base);
	const chrome = await launch();
	try {
		const page = await chrome.context.newPage();
		await signIn(page, ployer.base);
		const pages = [
			['/', 'dashboard', 'Dashboard'],
			['/applications', 'applications', 'Applications'],
			['/applications/new', 'new-application', 'New application'],
			['/servers', 'servers', 'Servers'],
			['/settings', 'settings', 'Settings'],
			['/graphql', 'playground', 'Playground']
		];
		for (const [path, name, heading] of pages) {
			await page.goto(`${ployer.base}${path}`);
			await page.getByRole('heading', { name: heading, exact: true }).waitFor();
			await page.waitForLoadState('networkidle');
			await screenshots(page, name);
		}
		// Keyboard: Tab reaches the sidebar's links, and the focused one is visibly outlined.
		await page.goto(`${ployer.base}/applications`);
		await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
		let focused = null;
		for (let i = 0; i < 12 && focused?.text !== 'Servers'; i++) {
			await page.keyboard.press('Tab');
			focused = await page.evaluate(() => {
				const el = document.activeElement;
				const style = getComputedStyle(el);
				return { text: el.textContent.trim(), outline: style.outlineStyle, width: style.outlineWidth };
			});
		}
		assert.equal(focused?.text, 'Servers', 'Tab reaches the sidebar');
		assert.notEqual(focused.outline, 'none', 'the focus is visible');
		await page.keyboard.press('Enter');
		await page.getByRole('heading', { name: 'Servers', exact: true }).waitFor();

		// Usable at 375 px: no page scrolls sideways (wide tables scroll inside their card).
		await page.setViewportSize({ width: 375, height: 800 });
		for (const [path, name, heading] of pages.filter(([path]) => path !== '/graphql')) {
			await page.goto(`${ployer.base}${path}`);
			await page.getByRole('heading', { name: heading, exact: true }).waitFor();
			await page.waitForLoadState('networkidle');
			await screenshots(page, `${name}-375`);
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= 375, `no horizontal scrolling at 375 px on ${path} (page is ${width} px wide)`);
		}
		await page.getByRole('button', { name: 'Menu' }).click();
		await page.getByRole('link', { name: 'Applications' }).click();
		await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
		assert.deepEqual(chrome.cspErrors(), []);
		assert.deepEqual(chrome.offLoopback(), []);
	} finally {
		await chrome.close();
	}
});
