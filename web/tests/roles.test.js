// Roles in the browser: an admin creates a member and a viewer from the users page; each
// sees in the sidebar and the settings only what their role may open, and a page forced
// open anyway says "not allowed" inside the shell. A user deleted, or demoted, while their
// tab is open is sent back to sign in at their next step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

let ployer;
let chrome;
let adminToken;

const MEMBER = { email: 'member@example.com', password: 'tangerine horse battery' };
const VIEWER = { email: 'viewer@example.com', password: 'marmalade horse battery' };

before(async () => {
	ployer = await startPloyer();
	adminToken = await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

/** The sidebar's links, in order. */
async function sidebar(page) {
	return (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).map((t) => t.trim());
}

/** The settings tabs, in order. */
async function settingsTabs(page) {
	await page.goto(`${ployer.base}/settings`);
	await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
	return (await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allInnerTexts()).map((t) => t.trim());
}

/**
 * Clicks a sidebar link, as a user acting in the tab would. The live connection may have
 * noticed the ended session first and already be on the sign-in page: either way is right.
 */
async function act(page, name) {
	const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
	if (await link.count()) await link.click({ timeout: 5000 }).catch(() => {});
}

/** A new browser (its own cookies) signed in as `user`. */
async function browserAs(user) {
	const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, user);
	return { context, page };
}

test('an admin creates a member and a viewer; each sees only what their role may open, and forced pages say not allowed', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	assert.deepEqual(await sidebar(page), ['Dashboard', 'Applications', 'Servers', 'Clusters', 'Docker', 'Settings', 'Playground']);
	assert.deepEqual(await settingsTabs(page), ['Your account', 'API keys', 'Users', 'Installation', 'Audit log']);

	// Both accounts are created from the users page.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users' }).click();
	for (const [user, role] of [
		[MEMBER, 'MEMBER'],
		[VIEWER, 'VIEWER']
	]) {
		await page.getByLabel('Email').fill(user.email);
		await page.getByLabel('Password').fill(user.password);
		await page.getByLabel('Role', { exact: true }).selectOption(role);
		await page.getByRole('button', { name: 'Create user' }).click();
		await page.getByTestId('toast-success').filter({ hasText: user.email }).waitFor();
		assert.equal(await page.getByLabel(`Role of ${user.email}`).inputValue(), role);
	}
	assert.equal(await page.getByLabel('Email').inputValue(), '', 'the form is emptied');
	// A duplicate email is refused beside its field, in the server's words.
	await page.getByLabel('Email').fill(MEMBER.email);
	await page.getByLabel('Password').fill(MEMBER.password);
	await page.getByRole('button', { name: 'Create user' }).click();
	assert.match(await page.locator('#user-email-error, [role=alert]').first().innerText(), /already exists/);
	await screenshots(page, 'settings-users');
	const listed = await graphql(ployer.base, '{ users { email role } }', {}, adminToken);
	assert.deepEqual(
		listed.data.users.map((u) => `${u.email} ${u.role}`),
		[`${ADMIN.email} ADMIN`, `${MEMBER.email} MEMBER`, `${VIEWER.email} VIEWER`]
	);
	await page.close();

	// The member: no Docker and no user management; forced there, "not allowed".
	const member = await browserAs(MEMBER);
	assert.deepEqual(await sidebar(member.page), ['Dashboard', 'Applications', 'Servers', 'Clusters', 'Settings', 'Playground']);
	assert.deepEqual(await settingsTabs(member.page), ['Your account', 'API keys']);
	for (const path of ['/settings/users', '/settings/installation', '/settings/audit']) {
		await member.page.goto(`${ployer.base}${path}`);
		const refusal = member.page.getByTestId('not-allowed');
		await refusal.waitFor();
		assert.match(await refusal.innerText(), /Not allowed[\s\S]*Only administrators may open[\s\S]*member@example\.com/);
		// Inside the shell, with nothing of the admin page and no failed request.
		await member.page.getByTestId('current-user').waitFor();
		assert.equal(await member.page.getByTestId('users').count(), 0);
		assert.equal(await member.page.getByTestId('load-error').count(), 0);
		assert.equal(await member.page.getByTestId('toast-error').count(), 0);
	}
	await screenshots(member.page, 'not-allowed');
	await member.page.getByRole('link', { name: 'Back to the dashboard' }).click();
	await member.page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
	// What a member may do, they may: their own API key, up to their role.
	await member.page.goto(`${ployer.base}/settings/api-keys`);
	await member.page.getByTestId('empty').waitFor();
	assert.deepEqual(await member.page.getByLabel('Role').locator('option').allInnerTexts(), ['member', 'viewer']);
	await member.context.close();

	// The viewer: the same menu as a member; no admin page either.
	const viewer = await browserAs(VIEWER);
	assert.deepEqual(await sidebar(viewer.page), ['Dashboard', 'Applications', 'Servers', 'Clusters', 'Settings', 'Playground']);
	assert.deepEqual(await settingsTabs(viewer.page), ['Your account', 'API keys']);
	await viewer.page.goto(`${ployer.base}/settings/users`);
	await viewer.page.getByTestId('not-allowed').waitFor();
	await viewer.context.close();
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
});

test("a deleted user's open tab returns to sign-in at the next step", async () => {
	const user = { email: 'leaving@example.com', password: 'farewell horse battery' };
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { ...user, role: 'MEMBER' } },
		adminToken
	);
	assert.ok(created.data, JSON.stringify(created));
	const { context, page } = await browserAs(user);
	await page.goto(`${ployer.base}/applications`);
	await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();

	const deleted = await graphql(
		ployer.base,
		'mutation($id: ID!) { deleteUser(input: {userId: $id}) { deletedUserId } }',
		{ id: created.data.createUser.user.id },
		adminToken
	);
	assert.equal(deleted.data?.deleteUser.deletedUserId, created.data.createUser.user.id, JSON.stringify(deleted));

	// The tab acts: it is sent to sign in, told why, and the old page is remembered.
	await act(page, 'Servers');
	await page.waitForURL(/\/login\?next=/);
	assert.match(await page.getByTestId('session-notice').innerText(), /session has ended/i);
	assert.equal(await page.getByTestId('current-user').count(), 0);
	// And the account is gone: signing in again fails.
	await page.getByLabel('Email').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByText('invalid email or password').waitFor();
	await screenshots(page, 'deleted-user-login');
	await context.close();
});

test('a member demoted to viewer in the UI is signed out at once and comes back as a viewer', async () => {
	const user = { email: 'demoted@example.com', password: 'lowered horse battery' };
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
		{ i: { ...user, role: 'MEMBER' } },
		adminToken
	);
	assert.ok(created.data, JSON.stringify(created));
	const { context, page: theirs } = await browserAs(user);
	await theirs.goto(`${ployer.base}/applications`);
	await theirs.getByRole('link', { name: 'New application' }).waitFor();

	const admin = await chrome.context.newPage();
	await signIn(admin, ployer.base);
	await admin.goto(`${ployer.base}/settings/users`);
	await admin.getByLabel(`Role of ${user.email}`).selectOption('VIEWER');
	await admin.getByTestId('user-row').filter({ hasText: user.email }).getByRole('button', { name: 'Save role' }).click();
	await admin.getByTestId('toast-success').filter({ hasText: `${user.email} is now viewer` }).waitFor();
	assert.equal(await admin.getByTestId('user-row').filter({ hasText: user.email }).getByRole('button', { name: 'Save role' }).count(), 0);
	await admin.close();

	await act(theirs, 'Dashboard');
	await theirs.waitForURL(/\/login\?next=/);
	await theirs.getByLabel('Email').fill(user.email);
	await theirs.getByLabel('Password').fill(user.password);
	await theirs.getByRole('button', { name: 'Sign in' }).click();
	await theirs.getByTestId('current-user').waitFor();
	assert.match(await theirs.getByTestId('current-user').innerText(), /viewer/);
	await theirs.goto(`${ployer.base}/applications`);
	await theirs.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
	await theirs.waitForLoadState('networkidle');
	assert.equal(await theirs.getByRole('link', { name: 'New application' }).count(), 0);
	await context.close();
});
