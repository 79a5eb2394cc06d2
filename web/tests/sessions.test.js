// Sessions in the browser: the first run creates the admin; sign out, sign in; a revoked
// session returns to sign-in with a message and back to the page afterwards; a viewer sees
// no control that changes anything, and the API refuses when one is forced.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, graphql, launch, screenshots, signIn, startPloyer } from './harness.js';

let ployer;
let chrome;

before(async () => {
	ployer = await startPloyer();
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

test('the first run creates the admin, who signs out and in again', async () => {
	const page = await chrome.context.newPage();
	await page.goto(`${ployer.base}/applications`);
	await page.waitForURL('**/setup');
	await screenshots(page, 'setup');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
	await page.getByLabel('Password again').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Create the admin account' }).click();
	await page.getByTestId('current-user').waitFor();
	assert.match(await page.getByTestId('current-user').innerText(), /admin@example\.com\s+admin/);

	// The session is an HttpOnly cookie: no script can read it.
	const cookies = await chrome.context.cookies();
	const session = cookies.find((c) => c.name === 'ployer_session');
	assert.ok(session, 'a session cookie is set');
	assert.equal(session.httpOnly, true);
	assert.equal(session.sameSite, 'Strict');
	assert.equal(await page.evaluate(() => document.cookie.includes('ployer_session')), false);

	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await page.waitForURL('**/login');
	await screenshots(page, 'login');
	await signIn(page, ployer.base);
	assert.equal(new URL(page.url()).pathname, '/');
	await page.close();
});

test('a revoked session returns to sign-in with a message, then to the page it was on', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/settings`);
	await page.getByRole('heading', { name: 'Settings' }).waitFor();

	// Signing out everywhere from another client revokes this browser's session too.
	const login = await graphql(ployer.base, 'mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }', {
		e: ADMIN.email,
		p: ADMIN.password
	});
	const revoked = await graphql(ployer.base, 'mutation { logoutEverywhere { ok } }', {}, login.data.login.token);
	assert.equal(revoked.data.logoutEverywhere.ok, true);

	await page.goto(`${ployer.base}/applications?status=RUNNING`);
	await page.waitForURL(/\/login\?next=/);
	assert.match(await page.getByTestId('session-notice').innerText(), /session has ended/i);
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL('**/applications?status=RUNNING');
	await page.close();
});

test('a viewer sees no control that changes anything, and the API refuses a forced mutation', async () => {
	const admin = await graphql(ployer.base, 'mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }', {
		e: ADMIN.email,
		p: ADMIN.password
	});
	const token = admin.data.login.token;
	const viewer = { email: 'viewer@example.com', password: 'another horse battery' };
	const created = await graphql(
		ployer.base,
		'mutation($e: String!, $p: String!) { createUser(input: {email: $e, password: $p, role: VIEWER}) { user { id } } }',
		{ e: viewer.email, p: viewer.password },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const app = await graphql(
		ployer.base,
		'mutation { createApplication(input: {name: "viewer-sees", buildStrategy: IMAGE, image: "ployer-test/busybox:latest", port: 8080}) { application { id } } }',
		{},
		token
	);
	const appId = app.data.createApplication.application.id;

	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, viewer);
	assert.match(await page.getByTestId('current-user').innerText(), /viewer/);
	await page.goto(`${ployer.base}/applications`);
	await page.getByRole('link', { name: 'viewer-sees', exact: true }).waitFor();
	assert.equal(await page.getByRole('link', { name: 'New application' }).count(), 0);
	for (const tab of ['', '/environment', '/domains', '/settings', '/deployments']) {
		await page.goto(`${ployer.base}/applications/${appId}${tab}`);
		await page.getByRole('heading', { name: 'viewer-sees' }).waitFor();
		await page.waitForLoadState('networkidle');
		const buttons = await page.locator('main button:not(.ghost):visible').allInnerTexts();
		const changing = buttons.filter((b) => !/^(Try again|Download|Copy.*)$/.test(b.trim()));
		assert.deepEqual(changing, [], `no control that changes anything on ${tab || 'overview'}`);
		assert.equal(await page.locator('main form button[type=submit]').count(), 0);
	}
	await screenshots(page, 'viewer-application');

	// Forced from the page with the viewer's cookie: refused, nothing changed.
	const forced = await page.evaluate(async (id) => {
		const res = await fetch('/graphql', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ query: `mutation { deploy(input: {applicationId: "${id}"}) { deployment { id } } }` })
		});
		return res.json();
	}, appId);
	assert.equal(forced.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(forced));
	const deployments = await graphql(ployer.base, `{ deployments(applicationId: "${appId}") { nodes { id } } }`, {}, token);
	assert.deepEqual(deployments.data.deployments.nodes, []);
	await context.close();
	assert.deepEqual(chrome.offLoopback(), []);
	assert.deepEqual(chrome.cspErrors(), []);
});

test('a repository over ssh shows its deploy key; one over https offers write-only credentials', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/new`);
	await page.getByLabel('Name').fill('over-ssh');
	await page.getByLabel('Git repository').fill('git@git.example.com:team/app.git');
	await page.getByRole('button', { name: 'Create application' }).click();
	const key = page.getByTestId('deploy-key');
	await key.waitFor();
	assert.match(await key.innerText(), /ssh-ed25519 AAAA/);
	assert.match(await key.innerText(), /SHA256:/);
	assert.equal(await key.getByRole('button', { name: 'Copy public key' }).count(), 1);
	await screenshots(page, 'new-application-deploy-key');

	await page.goto(`${ployer.base}/applications/new`);
	await page.getByLabel('Name').fill('over-https');
	await page.getByLabel('Git repository').fill('https://git.example.com/team/private.git');
	await page.getByRole('button', { name: 'Create application' }).click();
	const credentials = page.getByTestId('git-credentials');
	await credentials.waitFor();
	await page.getByLabel('User name').fill('deploy-bot');
	await page.getByLabel('Token').fill('glpat-secret-token-123');
	await page.getByRole('button', { name: 'Save credentials' }).click();
	await credentials.getByText('deploy-bot').waitFor();
	assert.equal(await page.getByLabel('Token').inputValue(), '', 'the token field is emptied');
	assert.equal((await page.content()).includes('glpat-secret-token-123'), false, 'the token is not in the page');
	await page.close();
});
