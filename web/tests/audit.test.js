// The audit log in the browser, against the real binary: an admin sees a failed sign-in and a
// change with who made them, narrows the list by action, and pages back with “Load more”; a
// member gets no tab and is refused the page. A metrics-only key made on the API keys page
// reads /metrics and nothing else.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, axeFindings, graphql, http, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

let ployer;
let chrome;
let adminToken;

before(async () => {
	ployer = await startPloyer();
	adminToken = await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

test('an admin reads sign-ins and changes in the audit log, filtered and a page at a time', async () => {
	const failed = await graphql(
		ployer.base,
		'mutation($i: LoginInput!) { login(input: $i) { token } }',
		{ i: { email: 'intruder@example.com', password: 'guessing-123456' } }
	);
	assert.equal(failed.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
	// 55 changes: more than one page of 50.
	for (let n = 0; n < 55; n++) {
		const made = await graphql(
			ployer.base,
			'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
			{ i: { name: `key ${n}` } },
			adminToken
		);
		assert.ok(made.data, JSON.stringify(made));
	}

	const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/settings`);
	await tab(page, 'Audit log').click();
	await page.getByTestId('audit-log').waitFor();
	assert.equal(await page.getByTestId('audit-row').count(), 50);
	await page.getByRole('button', { name: 'Load more' }).click();
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length > 50);
	// The 55 keys, the admin's registration and sign-ins, the intruder's attempt.
	assert.ok((await page.getByTestId('audit-row').count()) >= 58);
	await screenshots(page, 'settings-audit-log');

	await page.getByLabel('Action').fill('login');
	await page.getByLabel('Outcome').fill('UNAUTHENTICATED');
	await page.getByRole('button', { name: 'Filter' }).click();
	const row = page.getByTestId('audit-row').filter({ hasText: 'intruder@example.com' });
	await row.waitFor();
	assert.equal(await page.getByTestId('audit-row').count(), 1);
	assert.match(await row.innerText(), /127\.0\.0\.1/);
	assert.doesNotMatch(await page.content(), /guessing-123456/, 'the password tried is never shown');
	assert.deepEqual(await axeFindings(page), []);
	await context.close();
});

test('a member has no audit log tab and is refused the page', async () => {
	const email = 'member-audit@example.com';
	const password = 'member password 42';
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { email, password, role: 'MEMBER' } },
		adminToken
	);
	assert.ok(created.data, JSON.stringify(created));
	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, { email, password });
	await page.goto(`${ployer.base}/settings`);
	await tab(page, 'API keys').waitFor();
	assert.equal(await tab(page, 'Audit log').count(), 0);
	await page.goto(`${ployer.base}/settings/audit`);
	await page.getByText(/audit log/i).first().waitFor();
	assert.equal(await page.getByTestId('audit-log').count(), 0);
	assert.equal(await page.getByLabel('Use').count(), 0, 'only admins make metrics keys');
	await context.close();
});

test('an admin makes a metrics-only key that reads /metrics and nothing else', async () => {
	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, ADMIN);
	await page.goto(`${ployer.base}/settings/api-keys`);
	await page.getByLabel('Name').fill('prometheus');
	await page.getByLabel('Use').selectOption('METRICS');
	assert.equal(await page.getByLabel('Role').count(), 0, 'a metrics key has no role');
	await page.getByRole('button', { name: 'Create key' }).click();
	const key = (await page.getByTestId('new-key-value').innerText()).trim();
	await page.getByTestId('api-key-row').filter({ hasText: 'prometheus' }).filter({ hasText: 'Metrics only' }).waitFor();

	const scraped = await http(ployer.port, '/metrics', { headers: { authorization: `Bearer ${key}` } });
	assert.equal(scraped.status, 200);
	assert.match(scraped.body.toString(), /ployer_graphql_request_duration_seconds_count\{kind="mutation",operation="createApiKey",outcome="ok"\}/);
	assert.equal((await http(ployer.port, '/metrics')).status, 401);
	const me = await graphql(ployer.base, '{ me { id } }', {}, key);
	assert.equal(me.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(me));
	await context.close();
});
