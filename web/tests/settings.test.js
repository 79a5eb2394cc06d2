// Settings in the browser, against the real binary: an API key shown once that then works
// against the API (and only its prefix afterwards) until it is revoked; a new password that
// keeps this tab signed in while the old one stops working; the last admin cannot be
// demoted or deleted, with the server's words on screen; registration opened with a default
// role, as a visitor then sees it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

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

const ME = '{ me { email role } }';

/** A settings tab, by its name. */
function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

async function createUser(email, password, role) {
	const result = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { email, password, role } },
		adminToken
	);
	assert.ok(result.data, JSON.stringify(result));
	return result.data.createUser.user.id;
}

test('a new API key is shown once, works against the API, then shows only its prefix, and fails once revoked', async () => {
	const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(context);
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ployer.base });
	const page = await context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/settings`);
	await tab(page, 'API keys').click();
	await page.getByTestId('empty').waitFor();

	// A viewer key that expires in 30 days.
	await page.getByLabel('Name').fill('ci read-only');
	await page.getByLabel('Role').selectOption('VIEWER');
	await page.getByLabel('Expires after (days)').fill('30');
	await page.getByRole('button', { name: 'Create key' }).click();
	const shown = page.getByTestId('new-key');
	await shown.waitFor();
	await page.getByTestId('toast-success').filter({ hasText: 'ci read-only' }).waitFor();
	const key = (await page.getByTestId('new-key-value').innerText()).trim();
	assert.match(await shown.innerText(), /shown only this once/i);
	await shown.getByRole('button', { name: 'Copy key' }).click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key, 'the copy button copies the key');
	await screenshots(page, 'settings-api-key-created');

	// The key works against the API, as a viewer: it reads, and it cannot change anything.
	const me = await graphql(ployer.base, ME, {}, key);
	assert.deepEqual(me.data?.me, { email: ADMIN.email, role: 'ADMIN' }, JSON.stringify(me));
	const forced = await graphql(
		ployer.base,
		'mutation { createApplication(input: {name: "by-key", buildStrategy: IMAGE, image: "ployer-test/busybox:latest", port: 8080}) { application { id } } }',
		{},
		key
	);
	assert.equal(forced.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(forced));

	// After a reload only its prefix shows; the key itself is gone from the page.
	await page.reload();
	const row = page.getByTestId('api-key-row').filter({ hasText: 'ci read-only' });
	await row.waitFor();
	assert.equal(await page.getByTestId('new-key').count(), 0);
	assert.equal((await page.content()).includes(key), false, 'the key is not in the page any more');
	const prefix = (await row.getByTestId('api-key-prefix').innerText()).replace('…', '');
	assert.ok(prefix.length >= 6 && key.startsWith(prefix), `the prefix ${prefix} begins the key`);
	const cells = await row.locator('td').allInnerTexts();
	assert.equal(cells[2], 'viewer');
	assert.notEqual(cells[4], 'never', 'its last use shows');
	assert.notEqual(cells[5], 'never', 'its expiry shows');
	assert.equal(await row.getByTestId('api-key-state').innerText(), 'active');
	await screenshots(page, 'settings-api-keys');

	// Revoked from the keyboard, after a confirmation that takes the focus; it fails at once
	// and says so in words.
	await row.getByRole('button', { name: 'Revoke ci read-only…' }).focus();
	await page.keyboard.press('Enter');
	await row.getByRole('button', { name: 'Revoke ci read-only', exact: true }).waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Revoke ci read-only', 'the confirmation has the focus');
	await page.keyboard.press('Enter');
	await page.getByTestId('toast-success').filter({ hasText: 'revoked' }).waitFor();
	assert.equal(await row.getByTestId('api-key-state').innerText(), 'revoked');
	assert.equal(await row.getByRole('button').count(), 0, 'a revoked key offers nothing more');
	const refused = await graphql(ployer.base, ME, {}, key);
	assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused));
	await page.reload();
	assert.equal(await page.getByTestId('api-key-row').filter({ hasText: 'ci read-only' }).getByTestId('api-key-state').innerText(), 'revoked');

	// A key cannot be given more than its owner's role: a viewer is offered only "viewer".
	await createUser('keys-viewer@example.com', 'viewer horse battery', 'VIEWER');
	const viewer = await context.browser().newContext();
	chrome.watch(viewer);
	const viewerPage = await viewer.newPage();
	await signIn(viewerPage, ployer.base, { email: 'keys-viewer@example.com', password: 'viewer horse battery' });
	await viewerPage.goto(`${ployer.base}/settings/api-keys`);
	await viewerPage.getByTestId('empty').waitFor();
	assert.deepEqual(await viewerPage.getByLabel('Role').locator('option').allInnerTexts(), ['viewer']);
	await viewer.close();
	await context.close();
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
});

test('changing the password keeps this tab signed in, ends other sessions, and the old password stops working', async () => {
	const user = { email: 'changer@example.com', password: 'first horse battery' };
	const next = 'second zebra stapler';
	await createUser(user.email, user.password, 'MEMBER');
	const elsewhere = (await graphql(ployer.base, 'mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }', {
		e: user.email,
		p: user.password
	})).data.login.token;

	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, user);
	await page.goto(`${ployer.base}/settings`);
	await page.getByRole('heading', { name: 'Change your password' }).waitFor();
	assert.match(await page.getByTestId('account-role').innerText(), /^member/);

	// A wrong current password: the server's error beside that field, nothing changed.
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password', { exact: true }).fill(next);
	await page.getByLabel('New password again').fill(next);
	await page.getByRole('button', { name: 'Change password' }).click();
	assert.match(await page.locator('#password-current-error').innerText(), /current password is wrong/);

	// Two different new passwords are caught before asking the server.
	await page.getByLabel('Current password').fill(user.password);
	await page.getByLabel('New password again').fill(`${next}!`);
	await page.getByRole('button', { name: 'Change password' }).click();
	assert.match(await page.locator('#password-again-error').innerText(), /differ/);

	await page.getByLabel('New password again').fill(next);
	await screenshots(page, 'settings-account');
	await page.getByRole('button', { name: 'Change password' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'Password changed' }).waitFor();
	assert.equal(await page.getByLabel('Current password').inputValue(), '', 'the fields are emptied');

	// This tab stays signed in, over HTTP and over the live connection.
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
	await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
	await page.waitForLoadState('networkidle');
	await page.reload();
	await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
	assert.equal(new URL(page.url()).pathname, '/');
	assert.match(await page.getByTestId('current-user').innerText(), /changer@example\.com/);
	assert.equal(await page.getByTestId('connection-banner').count(), 0);

	// The other session ended; the old password fails, the new one works.
	const other = await graphql(ployer.base, ME, {}, elsewhere);
	assert.equal(other.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(other));
	const login = 'mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }';
	const old = await graphql(ployer.base, login, { e: user.email, p: user.password });
	assert.equal(old.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(old));
	const fresh = await graphql(ployer.base, login, { e: user.email, p: next });
	assert.ok(fresh.data?.login.token, JSON.stringify(fresh));

	// "Sign out everywhere" from the account page ends this tab's session too.
	await page.goto(`${ployer.base}/settings`);
	await page.getByRole('main').getByRole('button', { name: 'Sign out everywhere' }).click();
	await page.waitForURL('**/login');
	assert.match(await page.getByTestId('session-notice').innerText(), /every device/);
	const ended = await graphql(ployer.base, ME, {}, fresh.data.login.token);
	assert.equal(ended.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
	await context.close();
});

test('the last admin cannot be demoted or deleted, and the page shows the server refusing', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/settings/users`);
	const row = page.getByTestId('user-row').filter({ hasText: ADMIN.email });
	await row.waitFor();
	assert.match(await row.innerText(), /you/);

	await page.getByLabel(`Role of ${ADMIN.email}`).selectOption('MEMBER');
	await row.getByRole('button', { name: 'Save role' }).click();
	const refusal = page.getByTestId('user-error');
	await refusal.waitFor();
	assert.match(await refusal.innerText(), /the last admin cannot be removed or demoted/);
	await page.getByTestId('toast-error').filter({ hasText: 'last admin' }).first().waitFor();
	assert.equal(await page.getByLabel(`Role of ${ADMIN.email}`).inputValue(), 'ADMIN', 'the role shown is still admin');
	await screenshots(page, 'settings-users-last-admin');

	await row.getByRole('button', { name: `Delete ${ADMIN.email}…` }).click();
	await row.getByRole('button', { name: `Delete ${ADMIN.email}`, exact: true }).click();
	await page.getByTestId('user-error').filter({ hasText: 'the last admin cannot be removed or demoted' }).waitFor();
	const me = await graphql(ployer.base, ME, {}, adminToken);
	assert.equal(me.data?.me.role, 'ADMIN');

	// Every settings page is usable at 375 px: wide tables scroll inside their card.
	await page.setViewportSize({ width: 375, height: 800 });
	for (const path of ['/settings', '/settings/api-keys', '/settings/users', '/settings/installation']) {
		await page.goto(`${ployer.base}${path}`);
		await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
		await page.waitForLoadState('networkidle');
		await screenshots(page, `settings${path.slice(9).replace('/', '-') || '-account'}-375`);
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(width <= 375, `no horizontal scrolling at 375 px on ${path} (page is ${width} px wide)`);
	}
	await page.close();
});

test('an admin opens registration with a default role, and a newcomer registers with that role', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/settings/installation`);
	const open = page.getByLabel('Anyone who can reach this server may register an account');
	await open.waitFor();
	assert.equal(await open.isChecked(), false);
	await open.check();
	await page.getByLabel('Role of a self-registered account').selectOption('MEMBER');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).waitFor();
	await screenshots(page, 'settings-installation');

	const registration = await graphql(ployer.base, '{ registration { open } }');
	assert.equal(registration.data.registration.open, true);
	const joined = await graphql(ployer.base, 'mutation { register(input: {email: "newcomer@example.com", password: "purple horse battery"}) { user { role } } }');
	assert.equal(joined.data?.register.user.role, 'MEMBER', JSON.stringify(joined));

	await page.reload();
	await page.getByLabel('Anyone who can reach this server may register an account').waitFor();
	assert.equal(await page.getByLabel('Anyone who can reach this server may register an account').isChecked(), true);
	assert.equal(await page.getByLabel('Role of a self-registered account').inputValue(), 'MEMBER');
	await page.getByLabel('Anyone who can reach this server may register an account').uncheck();
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).waitFor();
	const closed = await graphql(ployer.base, 'mutation { register(input: {email: "late@example.com", password: "purple horse battery"}) { user { role } } }');
	assert.equal(closed.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(closed));
	await page.close();
});
