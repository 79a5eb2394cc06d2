// The live connection drops (the websocket is closed under the page): a banner says so, the
// page reconnects by itself, and a deployment log being followed resumes from the last line
// it had — every line once, in order.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LINES = 600;
let ployer;
let repo;
let chrome;
let token;
const appIds = [];

before(async () => {
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

test('a dropped connection shows a banner, comes back by itself and the log resumes without gap or duplicate', { timeout: 240_000 }, async () => {
	// A build that prints its lines over a few seconds.
	const dockerfile = readFileSync(join(repo.workDir, 'Dockerfile'), 'utf8').replace(
		/RUN echo build-step-one[^\n]*\n/,
		`RUN i=0; while [ $i -lt ${LINES} ]; do echo slow-line-$i; sleep 0.02; i=$((i+1)); done\n`
	);
	writeFileSync(join(repo.workDir, 'Dockerfile'), dockerfile);
	repo.commit('slow build');
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name: `drop-${repo.marker}`, gitUrl: repo.url, port: 8080 } },
		token
	);
	const appId = created.data.createApplication.application.id;
	appIds.push(appId);

	// Every websocket the page opens goes through here, so the test can cut it.
	const sockets = [];
	const page = await chrome.context.newPage();
	await page.routeWebSocket(/\/graphql\/ws$/, (ws) => {
		sockets.push(ws);
		ws.connectToServer();
	});
	await signIn(page, ployer.base);
	const deployed = await graphql(
		ployer.base,
		'mutation($id: ID!) { deploy(input: {applicationId: $id}) { deployment { id } } }',
		{ id: appId },
		token
	);
	await page.goto(`${ployer.base}/applications/${appId}/deployments/${deployed.data.deploy.deployment.id}`);
	await page.getByTestId('log-row').filter({ hasText: 'slow-line-40' }).first().waitFor({ timeout: 120_000 });

	// Scrolled up, the view stays put and counts what arrives below; one click follows again.
	const viewport = page.getByTestId('log-viewport');
	await viewport.evaluate((el) => {
		el.scrollTop = 0;
		el.dispatchEvent(new Event('scroll'));
	});
	const newLines = page.getByRole('button', { name: /new lines/ });
	await newLines.waitFor({ timeout: 15_000 });
	assert.equal(await viewport.evaluate((el) => el.scrollTop), 0, 'the view did not jump to the end');
	await newLines.click();
	await page.waitForFunction(() => {
		const el = document.querySelector('[data-testid="log-viewport"]');
		return el.scrollTop + el.clientHeight >= el.scrollHeight - 40;
	});

	// Search narrows the view to the matching lines.
	await page.getByLabel('Search the log').fill('slow-line-12');
	await page.waitForFunction(() => /^\s*\d+ of \d+ lines/.test(document.querySelector('[data-testid="log-count"]').textContent));
	// The count changes before the next frame draws the rows.
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-row"]').length > 0);
	const found = await page.getByTestId('log-row').allInnerTexts();
	assert.ok(found.length >= 1 && found.every((row) => row.includes('slow-line-12')), `only matching rows: ${found}`);
	await page.getByLabel('Search the log').fill('');

	// Cut the connection mid-build.
	const opened = sockets.length;
	await sockets.at(-1).close({ code: 1001, reason: 'cut by the test' });
	await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
	await screenshots(page, 'connection-banner');
	await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 30_000 });
	assert.ok(sockets.length > opened, 'the page opened a new websocket by itself');

	await page.locator('.summary [data-status="RUNNING"]').waitFor({ timeout: 120_000 });
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
	const text = readFileSync(await download.path(), 'utf8');
	const numbers = text
		.split('\n')
		.map((line) => /^slow-line-(\d+)$/.exec(line)?.[1])
		.filter((n) => n !== undefined)
		.map(Number);
	assert.equal(numbers.length, LINES, 'every line once');
	assert.ok(
		numbers.every((n, i) => n === i),
		'in order'
	);
	assert.deepEqual(chrome.offLoopback(), []);
});
