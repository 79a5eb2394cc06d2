// Clusters in the browser, against the real binary and without a real swarm: an admin opens
// "New cluster" with two servers that were never validated (127.0.0.1 port 1, where nothing
// listens), picks one as the manager and the other as a worker, and the API's refusal ("has
// not been validated") shows at the Manager field while nothing is made; an application's
// settings offer "Run on: a cluster", which says that none exists yet (with a link to make
// one) and keeps static and Compose builds out of reach; a viewer reads the clusters with no
// control that changes them. Axe clean in both themes; screenshots of the list, the form and
// the application form in both themes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeFindings, graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

const x = Math.random().toString(36).slice(2, 8);
const VIEWER = { email: `viewer-${x}@example.com`, password: 'copper kettle lantern 58' };

let ployer;
let chrome;
let token;

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	const viewer = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { ...VIEWER, role: 'VIEWER' } },
		token
	);
	assert.ok(viewer.data, JSON.stringify(viewer));
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

/** A remote server that was never validated: nothing listens on 127.0.0.1 port 1. */
async function unvalidatedServer(name) {
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateServerInput!) { createServer(input: $i) { server { id hostKeyFingerprint } } }',
		{ i: { name, host: '127.0.0.1', port: 1 } },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	assert.equal(created.data.createServer.server.hostKeyFingerprint, null, 'never validated');
	return created.data.createServer.server.id;
}

async function clusterNames() {
	const { data } = await graphql(ployer.base, '{ clusters { name } }', {}, token);
	return data.clusters.map((c) => c.name);
}

test('an admin makes a cluster of servers never validated: refused at the Manager field, nothing made', { timeout: 120_000 }, async () => {
	const managerName = `swarm-a-${x}`;
	const workerName = `swarm-b-${x}`;
	const managerId = await unvalidatedServer(managerName);
	await unvalidatedServer(workerName);

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
	await page.waitForURL(`${ployer.base}/clusters`);
	await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
	assert.match(await page.getByTestId('empty').innerText(), /^No cluster yet/);
	await screenshots(page, 'clusters-empty');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the empty cluster list');

	// The form: every server to choose from, each saying it is not validated yet.
	await page.getByRole('button', { name: 'New cluster' }).click();
	const form = page.locator('#new-cluster');
	await form.getByRole('heading', { name: 'New cluster' }).waitFor();
	await page.getByLabel('Name').fill(`pool-${x}`);
	const manager = page.locator('#cluster-manager');
	await manager.locator(`option[value="${managerId}"]`).waitFor({ state: 'attached' });
	assert.equal(await manager.locator(`option[value="${managerId}"]`).innerText(), `${managerName} (127.0.0.1) · not validated yet`);
	await manager.selectOption(managerId);
	// The workers are the other servers: the manager is not among them.
	const workers = page.getByRole('group', { name: 'Workers' });
	assert.equal(await workers.getByRole('checkbox', { name: new RegExp(`^${managerName} `) }).count(), 0, 'the manager is no worker');
	await workers.getByRole('checkbox', { name: new RegExp(`^${workerName} `) }).check();
	// The edge defaults to the manager; a worker picked can be it instead.
	const edge = page.locator('#cluster-edge');
	assert.equal(await edge.inputValue(), '');
	assert.deepEqual(await edge.locator('option').allInnerTexts(), [`The manager, ${managerName} (127.0.0.1)`, `${workerName} (127.0.0.1)`]);
	await screenshots(page, 'clusters-new');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the new-cluster form');

	// Sent: the API refuses the manager, at its field, with the focus there.
	await page.getByRole('button', { name: 'Create cluster' }).click();
	const refusal = page.locator('#cluster-manager-error');
	await refusal.waitFor();
	assert.equal(await refusal.innerText(), `the server ${managerName} has not been validated yet: validate it first`);
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'cluster-manager', 'the refused field has the focus');
	assert.equal(await manager.getAttribute('aria-invalid'), 'true');
	assert.equal(await page.getByTestId('form-error').count(), 0, 'said at the field, not above the buttons');
	assert.equal(await page.getByTestId('field-error').count(), 1, 'one field refused');
	await screenshots(page, 'clusters-new-refused');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding with the refusal shown');

	// Nothing was made: not in the API, not in the list.
	assert.deepEqual(await clusterNames(), []);
	await page.reload();
	await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
	assert.match(await page.getByTestId('empty').innerText(), /^No cluster yet/);
	assert.equal(await page.getByTestId('clusters').count(), 0);

	// A cluster that does not exist says so.
	await page.goto(`${ployer.base}/clusters/00000000-0000-4000-8000-000000000000`);
	assert.equal(await page.getByTestId('empty').innerText(), 'There is no such cluster.');

	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
	await page.close();
});

test('an application set to run on a cluster: none exists yet, said with a link to make one; no static or Compose build there', { timeout: 120_000 }, async () => {
	const name = `swarm-app-${x}`;
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name, gitUrl: `https://git.example.com/${name}.git`, port: 8080 } },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const id = created.data.createApplication.application.id;

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${id}/settings`);
	const runOn = page.getByRole('group', { name: 'Run on' });
	await runOn.waitFor();
	assert.equal(await runOn.getByRole('radio', { name: /^A server/ }).isChecked(), true);
	assert.equal(await page.locator('#app-serverId').count(), 1);
	assert.equal(await page.locator('#app-buildStrategy option[value="STATIC"]').isDisabled(), false);

	// A cluster: none exists, said with a link to the clusters; no server, no static or Compose build.
	await runOn.getByRole('radio', { name: /^A cluster/ }).check();
	const none = page.getByTestId('no-cluster');
	await none.waitFor();
	assert.match(await none.innerText(), /^No cluster exists yet: an admin makes one from validated servers under Clusters\./);
	assert.equal(await none.getByRole('link', { name: 'Clusters' }).getAttribute('href'), '/clusters');
	assert.equal(await page.locator('#app-serverId').count(), 0, 'no server to choose on a cluster');
	assert.equal(await page.locator('#app-clusterId').count(), 0, 'no cluster to choose');
	for (const strategy of ['STATIC', 'COMPOSE']) {
		const option = page.locator(`#app-buildStrategy option[value="${strategy}"]`);
		assert.equal(await option.isDisabled(), true, `${strategy} is not offered on a cluster`);
		assert.match(await option.innerText(), /\(not on a cluster\)$/);
	}
	await screenshots(page, 'clusters-app-form');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the form set to a cluster');

	// Saved like this, the form says why not, and nothing changes.
	await page.getByRole('button', { name: 'Save settings' }).click();
	assert.equal(await page.getByTestId('form-error').innerText(), 'No cluster exists yet: run it on a server');
	const { data } = await graphql(ployer.base, 'query($id: ID!) { application(id: $id) { cluster { id } replicas } }', { id }, token);
	assert.deepEqual(data.application, { cluster: null, replicas: 1 });

	// Back to a server: its select again, every build offered.
	await runOn.getByRole('radio', { name: /^A server/ }).check();
	await page.locator('#app-serverId').waitFor();
	assert.equal(await page.getByTestId('no-cluster').count(), 0);
	assert.equal(await page.locator('#app-buildStrategy option[value="STATIC"]').isDisabled(), false);

	// The overview names this server, with no tasks section.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
	await page.getByTestId('app-server').waitFor();
	assert.equal(await page.getByTestId('app-server').innerText(), 'Runs on: This server');
	assert.equal(await page.getByRole('heading', { name: 'Tasks' }).count(), 0);
	assert.deepEqual(chrome.cspErrors(), []);
	await page.close();
});

test('a viewer reads the clusters with no control that changes them', { timeout: 120_000 }, async () => {
	const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(context);
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);
	try {
		await signIn(page, ployer.base, VIEWER);
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
		await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
		assert.equal(await page.getByTestId('empty').innerText(), 'No cluster yet.');
		assert.equal(await page.getByRole('button', { name: 'New cluster' }).count(), 0);
		assert.equal(await page.locator('main button').count(), 0, 'no button at all for a viewer');
		assert.equal(await page.locator('main form').count(), 0);
		await screenshots(page, 'clusters-viewer');
		assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the list as a viewer');
	} finally {
		await context.close();
	}
});
