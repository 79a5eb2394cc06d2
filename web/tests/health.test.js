// The Health tab against the real binary, Docker, Caddy and git: a deployed application
// answers its check (green, with its results); its check is then pointed at a path that
// 404s, and without a reload the tab turns red with the reason, the failures show in the
// results and the monitor's restart appears.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deployRunning, gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 240_000 };
let ployer;
let repo;
let chrome;
let token;
const appIds = [];

before(async () => {
	// Restarts one second apart after the first, so that the test sees them soon.
	process.env.PLOYER_HEALTH_RESTART_BACKOFF_SECONDS = '1';
	ployer = await startPloyer();
	repo = await gitRepo();
	token = await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

async function api(query, variables = {}) {
	const result = await graphql(ployer.base, query, variables, token);
	assert.ok(result.data && !result.errors, JSON.stringify(result));
	return result.data;
}

const CONFIGURE = 'mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) { healthCheck { path } } }';

test('an application whose health check starts failing turns red on the Health tab, live, and its restart shows', LONG, async () => {
	const created = await api('mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }', {
		i: { name: `health-${repo.marker}`, gitUrl: repo.url, port: 8080 }
	});
	const appId = created.createApplication.application.id;
	appIds.push(appId);
	// Probed every 2 s; unhealthy after 2 failures; no start period.
	await api(CONFIGURE, {
		i: { applicationId: appId, path: '/', intervalSeconds: 2, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, startPeriodSeconds: 0 }
	});
	await deployRunning(ployer.base, token, appId);

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${appId}/health`);
	const health = page.getByTestId('health');
	await page.locator('[data-testid="health"][data-status="HEALTHY"]').waitFor();
	const check = page.getByTestId('health-check');
	assert.match(await check.innerText(), /HTTP GET \/, 2xx\/3xx is healthy/);
	assert.match(await check.innerText(), /2 s, timeout 1 s/);
	assert.match(await check.innerText(), /2 failures in a row/);
	assert.equal(await check.getByRole('link', { name: 'Change in Settings' }).getAttribute('href'), `/applications/${appId}/settings`);
	const healthy = page.locator('[data-testid="health-result"][data-healthy="true"]').first();
	await healthy.waitFor();
	assert.match(await healthy.innerText(), /healthy\s+200\s+\d+ ms/);
	assert.match(await page.getByTestId('health-restarts').innerText(), /^0/);
	assert.match(await page.getByTestId('health-last-restart').innerText(), /never/);
	const green = await health.evaluate((el) => getComputedStyle(el).borderLeftColor);
	await screenshots(page, 'health-healthy');

	// The check now asks for a path the application does not serve.
	await page.evaluate(() => (window.notReloaded = true));
	await api(CONFIGURE, { i: { applicationId: appId, path: '/missing' } });

	// Red, with why; the failed probes (404) among the results; the check as it is now.
	await page.locator('[data-testid="health"][data-status="UNHEALTHY"], [data-testid="health"][data-status="GAVE_UP"]').waitFor();
	const red = await health.evaluate((el) => getComputedStyle(el).borderLeftColor);
	const badColour = await page.evaluate(() => {
		const probe = document.createElement('span');
		probe.style.color = 'var(--bad-fg)';
		document.body.append(probe);
		const colour = getComputedStyle(probe).color;
		probe.remove();
		return colour;
	});
	assert.equal(red, badColour, 'the status turns red');
	assert.notEqual(red, green);
	assert.match(await page.getByTestId('health-reason').innerText(), /GET \/missing answered 404/);
	const failed = page.locator('[data-testid="health-result"][data-healthy="false"]').first();
	await failed.waitFor();
	assert.match(await failed.innerText(), /failed\s+404/);
	await check.getByText('/missing').waitFor();

	// The monitor restarts it: the count and the time of the last restart show, live.
	await page.waitForFunction(() => Number.parseInt(document.querySelector('[data-testid="health-restarts"]').textContent.trim(), 10) >= 1, null, {
		timeout: 60_000
	});
	assert.doesNotMatch(await page.getByTestId('health-last-restart').innerText(), /never/);
	assert.ok(await page.evaluate(() => window.notReloaded === true), 'all of it arrived without a reload');
	await screenshots(page, 'health');

	// The API agrees with what the page shows.
	const { application } = await api('query($id: ID!) { application(id: $id) { health { status restartCount lastRestartAt } } }', { id: appId });
	assert.ok(['UNHEALTHY', 'GAVE_UP'].includes(application.health.status), JSON.stringify(application));
	assert.ok(application.health.restartCount >= 1 && application.health.lastRestartAt, JSON.stringify(application));

	// Usable at 375 px: the tab does not scroll sideways (the table scrolls in its card).
	await page.setViewportSize({ width: 375, height: 800 });
	await page.reload();
	await page.locator('[data-testid="health-result"]').first().waitFor();
	await screenshots(page, 'health-375');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 375, `no horizontal scrolling at 375 px (page is ${width} px wide)`);
	await page.close();
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
});
