// Servers against the real binary: the local server with live figures in the list and live
// charts on its page, with the applications it runs; an admin adds a remote server, checks
// it (nothing listens on its port: "unreachable" with the reason), edits and deletes it; a
// member sees the same pages with no control that changes anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeFindings, freePort, graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

const MEMBER = { email: 'member@example.com', password: 'quiet orbit lantern 47' };
let ployer;
let chrome;
let token;
let localId;
const appName = `on-local-${Math.random().toString(36).slice(2, 8)}`;

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	localId = (await graphql(ployer.base, '{ servers { id isLocal } }', {}, token)).data.servers.find((s) => s.isLocal).id;
	// An application on the local server (never deployed: nothing to clean up in Docker).
	const app = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name: appName, buildStrategy: 'IMAGE', image: 'ployer-test/busybox:latest', port: 8080 } },
		token
	);
	assert.ok(app.data, JSON.stringify(app));
	const member = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { ...MEMBER, role: 'MEMBER' } },
		token
	);
	assert.ok(member.data, JSON.stringify(member));
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

async function points(page, testid) {
	return Number((await page.getByTestId(testid).getAttribute('data-points')) ?? 0);
}

async function morePoints(page, testid, than) {
	await page.waitForFunction(
		([id, n]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > n,
		[testid, than],
		{ timeout: 30_000 }
	);
}

test('the local server shows live figures in the list and live charts with its applications on its page', { timeout: 120_000 }, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).click();
	const local = page.getByTestId('server-local');
	await local.getByTestId('server-live').waitFor();
	assert.match(await local.innerText(), /CPU\s+[\d.]+% of \d+ cores/);
	assert.match(await local.innerText(), /Memory\s+[\d.]+ (MiB|GiB) of [\d.]+ (MiB|GiB)/);
	assert.match(await local.innerText(), /Disk\s+[\d.]+ (MiB|GiB|TiB) of [\d.]+ (GiB|TiB)/);
	assert.equal(await local.getByTestId('status-badge').getAttribute('data-status'), 'reachable');
	await screenshots(page, 'servers');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the servers list');

	await local.getByRole('link', { name: 'local' }).click();
	await page.waitForURL(`${ployer.base}/servers/${localId}`);
	await page.getByTestId('server-facts').waitFor();
	assert.match(await page.getByTestId('server-facts').innerText(), /Docker\s+\d+\.\d+/);
	// Samples keep arriving (one every two seconds) and the charts grow.
	await morePoints(page, 'chart-cpu', 1);
	const before = await points(page, 'chart-cpu');
	await morePoints(page, 'chart-cpu', before);
	assert.ok((await points(page, 'chart-memory')) >= 2 && (await points(page, 'chart-disk')) >= 2);
	assert.match(await page.getByTestId('chart-memory').getByTestId('chart-summary').innerText(), /Used\s*[\d.]+ (MiB|GiB)\s*Total\s*[\d.]+ (MiB|GiB)/);
	await page.getByTestId('server-apps').getByRole('link', { name: appName, exact: true }).waitFor();
	// The local server is neither validated nor deleted; only its name can change.
	assert.equal(await page.getByRole('button', { name: 'Validate' }).count(), 0);
	assert.equal(await page.getByRole('button', { name: 'Delete server' }).count(), 0);
	assert.equal(await page.getByLabel('Host').count(), 0);
	await screenshots(page, 'server-local');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the local server page');
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
	await page.close();
});

test('an admin adds a remote server, validates it (unreachable, with the reason), edits and deletes it', { timeout: 120_000 }, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/servers`);
	await page.getByRole('button', { name: 'Add a server' }).click();

	// A bad name comes back from the server next to its field.
	const closed = await freePort();
	await page.getByLabel('Name').fill('Not A Name!');
	await page.getByLabel('Host').fill('127.0.0.1');
	await page.getByLabel('SSH port').fill(String(closed));
	await page.getByLabel('SSH user').fill('deploy');
	await page.getByRole('button', { name: 'Add server' }).click();
	await page.locator('#server-name-error').waitFor();
	await screenshots(page, 'servers-add-error');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding with the add form open');

	await page.getByLabel('Name').fill('edge-1');
	await page.getByRole('button', { name: 'Add server' }).click();
	await page.getByRole('heading', { name: 'edge-1' }).waitFor();
	const serverPath = new URL(page.url()).pathname;
	assert.match(serverPath, /^\/servers\/[0-9a-f-]+$/);
	assert.equal(await page.getByTestId('server-head').getByTestId('status-badge').getAttribute('data-status'), 'unknown');
	assert.match(await page.getByTestId('remote-note').innerText(), /Not checked yet/);

	// Nothing listens on that port: unreachable, and why.
	await page.getByRole('button', { name: 'Validate' }).click();
	const result = page.getByTestId('validate-result');
	await result.waitFor();
	assert.match(await result.innerText(), new RegExp(`^Unreachable: cannot connect to 127\\.0\\.0\\.1:${closed}: .*refused`, 'i'));
	await page.locator('[data-testid="server-head"] [data-status="unreachable"]').waitFor();
	// No subscription on this page: the websocket's idle close is no outage banner.
	assert.equal(await page.getByTestId('connection-banner').count(), 0);
	await screenshots(page, 'server-remote-unreachable');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on a remote server page');

	// Edit: a new name and port; the status is unknown again until the next check.
	const other = await freePort();
	await page.getByLabel('Name').fill('edge-2');
	await page.getByLabel('SSH port').fill(String(other));
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByRole('heading', { name: 'edge-2' }).waitFor();
	await page.locator('[data-testid="server-head"] [data-status="unknown"]').waitFor();
	assert.match(await page.getByTestId('server-head').innerText(), new RegExp(`deploy@127\\.0\\.0\\.1:${other}`));
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).click();
	await page.getByTestId('server-edge-2').waitFor();
	assert.equal(await page.getByTestId('server-edge-1').count(), 0);

	// Delete, after a confirmation.
	await page.getByTestId('server-edge-2').getByRole('link', { name: 'edge-2' }).click();
	await page.getByRole('button', { name: 'Delete server' }).click();
	await page.getByRole('button', { name: 'Yes, delete edge-2' }).click();
	await page.waitForURL(`${ployer.base}/servers`);
	await page.getByTestId('server-local').waitFor();
	assert.equal(await page.getByTestId('server-edge-2').count(), 0);
	const { data } = await graphql(ployer.base, '{ servers { name } }', {}, token);
	assert.deepEqual(
		data.servers.map((s) => s.name),
		['local']
	);
	await page.close();
});

test('a member sees servers and their figures but no control that changes them', { timeout: 120_000 }, async () => {
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }',
		{ i: { name: 'seen-by-member', host: '127.0.0.1', port: await freePort() } },
		token
	);
	const remoteId = created.data.createServer.server.id;
	const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(context);
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base, MEMBER);
	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto(`${ployer.base}/servers`);
	await page.getByTestId('server-local').getByTestId('server-live').waitFor();
	await page.getByTestId('server-seen-by-member').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Add a server' }).count(), 0);
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
	await screenshots(page, 'servers-member-375');

	await page.goto(`${ployer.base}/servers/${remoteId}`);
	await page.getByRole('heading', { name: 'seen-by-member' }).waitFor();
	await page.getByRole('heading', { name: 'Applications on it' }).waitFor();
	assert.equal(await page.getByTestId('no-apps').count(), 1);
	assert.equal(await page.locator('main button').count(), 0, 'no button at all on a remote server for a member');
	assert.equal(await page.locator('main input').count(), 0, 'no input either');

	await page.goto(`${ployer.base}/servers/${localId}`);
	await morePoints(page, 'chart-cpu', 1);
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
	assert.equal(await page.locator('main form').count(), 0);
	await screenshots(page, 'server-local-member-375');
	await context.close();
});
