// Applications on a remote server in the browser, against the real binary: a server that was
// never validated (127.0.0.1 port 1, where nothing listens) is chosen in the new-application
// form, which then offers no static or Compose build and says where the application is built
// and run; the overview names the server (a link to it, with its host), says that the DNS of
// the domains must point there and that the server was never validated; the settings form
// keeps the static build out of reach, and when it is sent anyway the API's refusal shows at
// the Server field (the API refuses it too); Deploy fails at once with the server's reason
// on the deployment's page; a failed validation shows live on the overview as a warning with
// the server's error. Axe clean in both themes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeFindings, graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

const x = Math.random().toString(36).slice(2, 8);
const ONLY_HERE = /runs on this machine only/;

let ployer;
let chrome;
let token;

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

/** The application as the API has it: where it runs and how it is built. */
async function stored(id) {
	const { data } = await graphql(ployer.base, 'query($id: ID!) { application(id: $id) { buildStrategy server { id } } }', { id }, token);
	return data.application;
}

test('an application on a remote server: chosen in the form, named on the overview, kept off static builds, deploys refused with the reason', { timeout: 180_000 }, async () => {
	const serverName = `edge-${x}`;
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateServerInput!) { createServer(input: $i) { server { id status hostKeyFingerprint } } }',
		{ i: { name: serverName, host: '127.0.0.1', port: 1 } },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const server = created.data.createServer.server;
	assert.equal(server.hostKeyFingerprint, null, 'never validated');

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);

	// The form: the remote server chosen, static and Compose builds are not offered, and a
	// hint says where the application is built and run.
	await page.goto(`${ployer.base}/applications/new`);
	const name = `remote-${x}`;
	await page.locator('#app-name').fill(name);
	const serverSelect = page.locator('#app-serverId');
	await serverSelect.locator(`option[value="${server.id}"]`).waitFor({ state: 'attached' });
	assert.equal(await page.getByTestId('remote-hint').count(), 0, 'no hint for this server');
	assert.equal(await page.locator('#app-buildStrategy option[value="STATIC"]').isDisabled(), false);
	await serverSelect.selectOption(server.id);
	const hint = await page.getByTestId('remote-hint').innerText();
	assert.match(hint, new RegExp(`^Built and run on ${serverName} over SSH`));
	assert.match(hint, /its domains must point at 127\.0\.0\.1/);
	assert.match(hint, /Choosing another server later moves it: its next deployment runs there, then it is removed from this one\./);
	for (const strategy of ['STATIC', 'COMPOSE']) {
		const option = page.locator(`#app-buildStrategy option[value="${strategy}"]`);
		assert.equal(await option.isDisabled(), true, `${strategy} is not offered on a remote server`);
		assert.match(await option.innerText(), ONLY_HERE);
	}
	await page.locator('#app-gitUrl').fill(`https://git.example.com/${name}.git`);
	await screenshots(page, 'remote-app-form');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the form with a remote server');
	await page.getByRole('button', { name: 'Create application' }).click();
	await page.getByRole('link', { name: 'Open the application' }).click();
	await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
	const id = page.url().match(/applications\/([0-9a-f-]{36})/)[1];
	assert.deepEqual(await stored(id), { buildStrategy: 'DOCKERFILE', server: { id: server.id } });

	// The overview: where it runs (a link to the server, its host), where the DNS must point,
	// and that deployments cannot work before the server is validated.
	const where = page.getByTestId('app-server');
	await where.waitFor();
	assert.equal(await where.innerText(), `Runs on: ${serverName} 127.0.0.1`);
	assert.equal(await where.getByRole('link', { name: serverName }).getAttribute('href'), `/servers/${server.id}`);
	assert.match(
		await page.getByTestId('dns-hint').innerText(),
		new RegExp(`^The DNS of its domains must point at 127\\.0\\.0\\.1, the address of ${serverName}, whose own Caddy serves them\\.$`)
	);
	assert.match(await page.getByTestId('server-warning').innerText(), new RegExp(`^${serverName} has not been validated yet: deployments fail until`));
	await screenshots(page, 'remote-app-overview');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the overview of a remote application');

	// The Domains tab says the same where domains are added.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Domains' }).click();
	await page.waitForURL(/\/domains$/);
	await page.getByTestId('domains').waitFor();
	assert.match(await page.getByTestId('dns-hint').innerText(), new RegExp(`^This application runs on ${serverName}: the DNS of its domains must point at 127\\.0\\.0\\.1`));
	assert.match(await page.locator('#domain-hostname').locator('..').innerText(), /Point its DNS \(A\/AAAA or CNAME\) at 127\.0\.0\.1, the address of/);
	await screenshots(page, 'remote-app-domains');

	// Settings: the static build is not offered while the server is remote. Picked on this
	// server and sent with the remote one anyway, the API refuses it at the Server field.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
	const strategy = page.locator('#app-buildStrategy');
	await strategy.waitFor();
	assert.equal(await strategy.inputValue(), 'DOCKERFILE');
	assert.equal(await page.locator('#app-serverId').inputValue(), server.id);
	assert.equal(await page.locator('#app-buildStrategy option[value="STATIC"]').isDisabled(), true);
	await page.locator('#app-serverId').selectOption('');
	assert.match(
		await page.getByTestId('remote-hint').innerText(),
		new RegExp(`^Saving does not move it yet: the next deployment builds and starts it on this server; ${serverName} serves it until that deployment runs, then it is removed from there\\.$`)
	);
	await strategy.selectOption('STATIC');
	await page.locator('#app-staticOutputDir').waitFor();
	await page.locator('#app-serverId').selectOption(server.id);
	assert.equal(await strategy.inputValue(), 'STATIC', 'the choice stays, to be refused by the API');
	assert.match(await page.locator('.field', { has: strategy }).locator('.hint').innerText(), /^A static site runs on this machine only/);
	await page.getByRole('button', { name: 'Save settings' }).click();
	const refusal = page.locator('#app-serverId-error');
	await refusal.waitFor();
	assert.match(await refusal.innerText(), ONLY_HERE);
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'app-serverId', 'the refused field has the focus');
	await screenshots(page, 'remote-app-settings-refused');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the refused settings');
	assert.deepEqual(await stored(id), { buildStrategy: 'DOCKERFILE', server: { id: server.id } }, 'nothing refused is stored');

	// The API says the same to any client.
	const refused = await graphql(
		ployer.base,
		'mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id } } }',
		{ i: { id, buildStrategy: 'STATIC' } },
		token
	);
	assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(refused));
	assert.equal(refused.errors[0].extensions.field, 'serverId');
	assert.match(refused.errors[0].message, ONLY_HERE);

	// Deploy: it fails at once, the reason on the deployment's page.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
	const failure = page.getByTestId('deployment-error');
	await failure.waitFor();
	assert.match(await failure.innerText(), new RegExp(`^the server ${serverName} has not been validated yet: validate it`));
	await page.locator('[data-testid="status-badge"][data-status="FAILED"]').first().waitFor();
	await screenshots(page, 'remote-app-deploy-failed');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the failed deployment');

	// A validation that fails (nothing listens on port 1) shows on the open overview, live.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
	const warning = page.getByTestId('server-warning');
	await warning.filter({ hasText: 'has not been validated yet' }).waitFor();
	const validated = await graphql(ployer.base, 'mutation($id: ID!) { validateServer(input: {id: $id}) { reachable } }', { id: server.id }, token);
	assert.equal(validated.data?.validateServer.reachable, false, JSON.stringify(validated));
	await warning.filter({ hasText: 'The last check of' }).waitFor();
	assert.match(
		await warning.innerText(),
		new RegExp(
			`^The last check of ${serverName} failed: 127\\.0\\.0\\.1:1 refused the connection.*\\. Deployments to it fail until it answers again; the application keeps running there\\.$`
		)
	);
	await screenshots(page, 'remote-app-overview-unreachable');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding with the server warning');

	// The server's page lists it.
	await page.getByTestId('app-server').getByRole('link', { name: serverName }).click();
	await page.getByRole('heading', { name: serverName }).waitFor();
	await page.getByTestId('server-apps').getByRole('link', { name, exact: true }).waitFor();

	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
	await page.close();
});
