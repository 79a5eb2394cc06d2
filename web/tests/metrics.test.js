// An application's Metrics and Logs tabs against the real binary, Docker, Caddy and git:
// the charts fill from the stats collector (sampling every second here) and keep growing
// live, uPlot arrives as its own chunk only with the tab; the log shows what the container
// prints, carries on across a redeploy in the same view, and repeats nothing after the
// websocket is cut.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { axeFindings, deployRunning, gitRepo, graphql, http, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 300_000 };
const MEMORY_LIMIT = 64 * 1024 * 1024;
let ployer;
let repo;
let chrome;
let token;
let appId;
let appName;
let url;
const appIds = [];

before(async () => {
	ployer = await startPloyer({ PLOYER_STATS_INTERVAL_SECONDS: '1' });
	repo = await gitRepo();
	token = await registerAdmin(ployer.base);
	// The container prints a numbered line with the version it serves every second, and a
	// line on stderr, beside serving it.
	const dockerfile = readFileSync(join(repo.workDir, 'Dockerfile'), 'utf8').replace(
		'httpd -f -p 8080 -h /www & wait',
		'httpd -f -p 8080 -h /www & i=0; while true; do echo \\"tick $(cat /www/index.html) $i\\"; echo \\"warn $i\\" >&2; i=$((i+1)); sleep 1; done'
	);
	assert.match(dockerfile, /tick/, 'the command was replaced');
	writeFileSync(join(repo.workDir, 'Dockerfile'), dockerfile);
	repo.commit('v1');
	appName = `metrics-${repo.marker}`;
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id url } } }',
		{ i: { name: appName, gitUrl: repo.url, port: 8080, memoryLimitBytes: MEMORY_LIMIT } },
		token
	);
	assert.ok(created.data, `create: ${JSON.stringify(created)}`);
	appId = created.data.createApplication.application.id;
	url = created.data.createApplication.application.url;
	appIds.push(appId);
	await deployRunning(ployer.base, token, appId);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

/** Signs in; when the form never shows, says what the page had instead. */
async function signInAs(page) {
	try {
		await signIn(page, ployer.base);
	} catch (error) {
		const text = await page.locator('body').innerText().catch(() => '(no body)');
		throw new Error(`${error.message}\nthe page at ${page.url()} showed: ${text.slice(0, 500)}\nconsole: ${chrome.console.slice(-10).join(' | ')}`);
	}
}

function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
}

/** Requests through Caddy, so the container sends and receives bytes. */
async function traffic(times = 10) {
	const { hostname } = new URL(url);
	for (let i = 0; i < times; i++) await http(ployer.proxyPort, '/', { headers: { host: hostname } }).catch(() => null);
}

async function points(page, testid) {
	return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

async function morePoints(page, testid, than) {
	await page.waitForFunction(
		([id, n]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > n,
		[testid, than],
		{ timeout: 30_000 }
	);
}

test('the metrics tab charts the collector samples, grows live, and brings uPlot as its own chunk', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	const scripts = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname.endsWith('.js')) scripts.push(r.url());
	});
	await signInAs(page);
	await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
	await page.getByTestId('server-stats').waitFor();
	const onDashboard = new Set(scripts);

	// Into the application and its Metrics tab without a page load.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
	await page.getByRole('link', { name: appName, exact: true }).click();
	await tab(page, 'Metrics').click();
	await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();

	const uplot = async (u) => (await (await fetch(u)).text()).includes('u-cursor-pt');
	const added = scripts.filter((u) => !onDashboard.has(u));
	const charts = [];
	for (const u of added) if (await uplot(u)) charts.push(u);
	assert.equal(charts.length, 1, `one new chunk carries uPlot: ${added.join(', ')}`);
	for (const u of onDashboard) assert.equal(await uplot(u), false, `the dashboard did not load uPlot (${u})`);

	// The charts have points, and more arrive while the page stays open.
	await morePoints(page, 'chart-cpu', 1);
	const before = await points(page, 'chart-cpu');
	await morePoints(page, 'chart-cpu', before);
	await morePoints(page, 'chart-memory', 1);
	assert.match(await page.getByTestId('chart-cpu').getByTestId('chart-summary').innerText(), /Busy\s*\d+(\.\d)?%/);
	assert.match(await page.getByTestId('memory-limit').innerText(), /of its 64(\.0)? MiB limit/);
	assert.match(await page.getByTestId('chart-memory').getByTestId('chart-summary').innerText(), /Limit\s*64(\.0)? MiB/);

	// Network rates come from two samples of one container: traffic through Caddy shows.
	await traffic(20);
	await page.waitForFunction(() => /Received\s*[\d.]+ (B|KiB|MiB)\/s/.test(document.querySelector('[data-testid="chart-network"] [data-testid="chart-summary"]')?.textContent ?? ''));
	await morePoints(page, 'chart-block', 1);
	const cpuChart = page.getByTestId('chart-cpu').getByRole('img');
	assert.match(await cpuChart.getAttribute('aria-label'), /^CPU over time\. latest: Busy \d/);
	await screenshots(page, 'application-metrics');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the metrics tab');

	// Another range reads the history again; a week is five-minute averages.
	await page.getByLabel('24 hours').check();
	await morePoints(page, 'chart-cpu', 1);
	assert.match(await page.getByTestId('resolution').innerText(), /Every sample/);
	await page.getByLabel('7 days').check();
	await page.getByTestId('resolution').filter({ hasText: 'Five-minute averages' }).waitFor();
	await morePoints(page, 'chart-cpu', 0);
	await screenshots(page, 'application-metrics-week');

	// At phone width the charts fit without sideways scrolling.
	await page.setViewportSize({ width: 375, height: 800 });
	await page.getByLabel('1 hour').check();
	await morePoints(page, 'chart-cpu', 1);
	await page.waitForTimeout(300);
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
	await screenshots(page, 'application-metrics-375');
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
	await page.close();
});

test('an application without samples shows the empty state', LONG, async () => {
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name: `idle-${repo.marker}`, gitUrl: repo.url, port: 8080 } },
		token
	);
	const idle = created.data.createApplication.application.id;
	appIds.push(idle);
	const page = await chrome.context.newPage();
	await signInAs(page);
	await page.goto(`${ployer.base}/applications/${idle}/metrics`);
	await page.getByTestId('empty').filter({ hasText: 'No samples yet' }).waitFor();
	await page.goto(`${ployer.base}/applications/${idle}/logs`);
	await page.getByTestId('not-running').waitFor();
	await page.close();
});

test('the logs tab shows what the container prints and follows it across a redeploy in the same view', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signInAs(page);
	await page.goto(`${ployer.base}/applications/${appId}/logs`);
	const rows = page.getByTestId('log-row');
	await rows.filter({ hasText: /^tick version v1 \d+$/ }).first().waitFor();
	// stderr lines are told apart.
	await page.locator('[data-testid="log-row"].stderr', { hasText: /^warn \d+$/ }).first().waitFor();
	await screenshots(page, 'application-logs');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the logs tab');

	// A new version: the page is not reloaded, the old lines stay, the new container's follow.
	await page.evaluate(() => (window.sameView = true));
	repo.commit('v2');
	await deployRunning(ployer.base, token, appId);
	await rows.filter({ hasText: /^tick version v2 \d+$/ }).first().waitFor();
	assert.equal(await page.evaluate(() => window.sameView), true, 'the same view, no reload');
	await page.getByRole('button', { name: 'Download' }).waitFor();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
	const text = readFileSync(await download.path(), 'utf8');
	assert.match(text, /^tick version v1 \d+$/m, 'the first container\'s lines are still there');
	assert.match(text, /now following container [0-9a-f]{12}/, 'the switch is marked');
	assert.ok(text.lastIndexOf('tick version v1') < text.lastIndexOf('tick version v2'), 'v2 lines come after');
	await screenshots(page, 'application-logs-redeployed');
	await page.close();
});

test('after a cut websocket the log resumes and shows no line twice', LONG, async () => {
	const sockets = [];
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await page.routeWebSocket(/\/graphql\/ws$/, (ws) => {
		sockets.push(ws);
		ws.connectToServer();
	});
	await signInAs(page);
	await page.goto(`${ployer.base}/applications/${appId}/logs`);
	const rows = page.getByTestId('log-row');
	await rows.filter({ hasText: /^tick version v2 \d+$/ }).first().waitFor();
	const opened = sockets.length;
	await sockets.at(-1).close({ code: 1001, reason: 'cut by the test' });
	await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
	await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 30_000 });
	assert.ok(sockets.length > opened, 'a new websocket');
	// Lines printed after the reconnect arrive.
	const last = async () => {
		const text = await page.getByTestId('log-viewport').innerText();
		return Math.max(...[...text.matchAll(/tick version v2 (\d+)/g)].map((m) => Number(m[1])));
	};
	const seen = await last();
	await page.waitForFunction(
		(n) => [...document.querySelector('[data-testid="log-viewport"]').textContent.matchAll(/tick version v2 (\d+)/g)].some((m) => Number(m[1]) > n + 2),
		seen
	);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
	const ticks = readFileSync(await download.path(), 'utf8')
		.split('\n')
		.filter((line) => /^tick version v2 \d+$/.test(line));
	assert.equal(new Set(ticks).size, ticks.length, `no line twice: ${ticks.join(' | ')}`);
	const numbers = ticks.map((line) => Number(line.split(' ').at(-1)));
	assert.ok(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1), `in order, none missing: ${numbers.join(',')}`);
	await page.close();
});
