// An application through the UI, end to end against real Docker, Caddy and git: create it
// from a repository, deploy and watch the live log, environment variables (a secret, a bad
// .env), a domain, a second version deployed while its status changes live, and a rollback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gitRepo, http, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 240_000 };
let ployer;
let repo;
let chrome;
const appIds = [];

before(async () => {
	ployer = await startPloyer();
	repo = await gitRepo();
	await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

/** A tab of the application's page. */
function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
}

/** What Caddy serves for the application's address (its Host header, on loopback). */
async function served(url) {
	const { hostname } = new URL(url);
	for (let i = 0; i < 50; i++) {
		const res = await http(ployer.proxyPort, '/', { headers: { host: hostname } }).catch(() => null);
		if (res?.status === 200) return res.body.toString().trim();
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${url} did not answer through Caddy`);
}

test('an application is created, deployed with a live log, configured, redeployed and rolled back', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	const name = `web-${repo.marker}`;

	// Create.
	await page.goto(`${ployer.base}/applications/new`);
	await page.getByLabel('Git repository').fill(repo.url);
	await page.getByLabel('Port').fill('8080');
	// A server error that names a field is shown next to that field.
	await page.getByLabel('Name').fill('Not A DNS Label!');
	await page.getByRole('button', { name: 'Create application' }).click();
	const nameError = page.locator('#app-name-error');
	await nameError.waitFor();
	assert.match(await nameError.innerText(), /name/i);
	await page.getByLabel('Name').fill(name);
	await screenshots(page, 'new-application-filled');
	await page.getByRole('button', { name: 'Create application' }).click();
	await page.getByRole('heading', { name: `${name} is ready to deploy` }).waitFor();

	// Deploy: the log shows the build's lines in order, live, until RUNNING.
	await page.getByRole('button', { name: 'Deploy now' }).click();
	await page.waitForURL(/\/deployments\/[0-9a-f-]+$/);
	appIds.push(page.url().split('/')[4]);
	const rows = page.getByTestId('log-row');
	await rows.filter({ hasText: `build-step-two-${repo.marker}` }).first().waitFor(LONG);
	await page.locator('.summary [data-status="RUNNING"]').waitFor(LONG);
	const log = await page.getByTestId('log-viewport').innerText();
	const one = log.indexOf(`build-step-one-${repo.marker}`);
	const two = log.indexOf(`build-step-two-${repo.marker}`);
	assert.ok(one >= 0 && two > one, 'the build lines arrive in order');
	// ANSI colours become classes, a \r progress line shows its last state, markup stays text.
	const red = page.getByTestId('log-row').filter({ hasText: `red-${repo.marker} plain` }).last();
	assert.equal(await red.locator('span.fg1', { hasText: `red-${repo.marker}` }).count(), 1, 'red text has the red class');
	assert.ok(!(await red.innerText()).includes('[31m'), 'no raw escape sequence shows');
	const progress = await page.getByTestId('log-row').filter({ hasText: `progress-${repo.marker}` }).allInnerTexts();
	assert.ok(progress.some((row) => row.trim() === `progress-${repo.marker} 100%`), `the progress line shows its last state: ${progress}`);
	assert.ok(!progress.some((row) => row.includes('10%') && !row.includes('Step')), `no earlier state shows: ${progress}`);
	const markup = page.getByTestId('log-row').filter({ hasText: `markup-${repo.marker}` }).last();
	assert.match(await markup.innerText(), /<img src=x onerror="window.injected=1">/);
	assert.equal(await page.locator('[data-testid="log-viewport"] img').count(), 0);
	assert.equal(await page.evaluate(() => window.injected), undefined);
	await screenshots(page, 'deployment-log');
	const url = await page.getByTestId('app-url').innerText();
	assert.equal(await served(url), 'version v1');

	// A secret is masked once saved.
	await tab(page, 'Environment').click();
	await page.getByLabel('Key').fill('API_TOKEN');
	await page.getByLabel('Secret (write-only, redacted from logs)').check();
	await page.getByLabel('Value').fill('s3cr3t-value-123');
	await page.getByRole('button', { name: 'Add variable' }).click();
	await page.getByTestId('env-API_TOKEN').getByTestId('masked').waitFor();
	assert.equal((await page.content()).includes('s3cr3t-value-123'), false, 'the secret value is not in the page');

	// A .env with a bad line: its number is shown and nothing is saved.
	await page.getByRole('button', { name: 'Paste a .env file' }).click();
	await page.getByLabel('.env content').fill('GOOD_ONE=1\nthis line is bad\nGOOD_TWO=2\n');
	await page.getByRole('button', { name: 'Import' }).click();
	const errors = await page.getByTestId('import-errors').innerText();
	assert.match(errors, /line 2/);
	await screenshots(page, 'environment');
	await page.reload();
	await page.getByTestId('env-API_TOKEN').waitFor();
	assert.equal(await page.getByTestId('env-GOOD_ONE').count(), 0, 'nothing of the bad .env was saved');

	// A domain.
	await tab(page, 'Domains').click();
	await page.getByLabel('Host name').fill(`shop-${repo.marker}.example.com`);
	await page.getByRole('button', { name: 'Add domain' }).click();
	await page.getByTestId(`domain-shop-${repo.marker}.example.com`).waitFor();
	await screenshots(page, 'domains');

	// Version 2, deployed from the overview while its status badge changes live: every
	// status any badge shows is recorded, with no reload in between.
	repo.commit('v2');
	await tab(page, 'Overview').click();
	await page.evaluate(() => {
		window.seenStatuses = [];
		new MutationObserver(() => {
			for (const badge of document.querySelectorAll('.summary [data-testid="status-badge"]')) {
				const status = badge.getAttribute('data-status');
				if (window.seenStatuses.at(-1) !== status) window.seenStatuses.push(status);
			}
		}).observe(document.body, { subtree: true, childList: true, attributes: true });
	});
	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	await page.waitForURL(/\/deployments\/[0-9a-f-]+$/);
	await page.locator('.summary [data-status="RUNNING"]').waitFor(LONG);
	const seen = await page.evaluate(() => window.seenStatuses);
	assert.ok(
		seen.some((s) => ['QUEUED', 'CLONING', 'BUILDING', 'STARTING', 'HEALTH_CHECKING'].includes(s)) && seen.at(-1) === 'RUNNING',
		`the badge went through the pipeline live: ${seen.join(' → ')}`
	);
	assert.equal(await served(url), 'version v2');

	// Roll back to v1.
	await tab(page, 'Overview').click();
	const select = page.getByLabel('Deployment to roll back to');
	const v1 = await select.locator('option', { hasText: 'version v1' }).first().getAttribute('value');
	await select.selectOption(v1);
	await screenshots(page, 'application-overview');
	await page.getByRole('button', { name: 'Roll back' }).click();
	await page.waitForURL(/\/deployments\/[0-9a-f-]+$/);
	await page.locator('.summary [data-status="RUNNING"]').waitFor(LONG);
	assert.equal(await served(url), 'version v1');

	await tab(page, 'Deployments').click();
	await page.getByTestId('deployments').waitFor();
	await screenshots(page, 'deployments');
	await tab(page, 'Settings').click();
	await page.getByRole('heading', { name: 'Health check' }).waitFor();
	await screenshots(page, 'application-settings');

	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
});
