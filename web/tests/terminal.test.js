// The Terminal tab against a real container: the test repository deployed through the API, an
// admin types a command into xterm.js and sees what the container's shell answers; the
// session's end is explained and a reconnect opens a new one; a viewer gets the refusal in
// words and no terminal, and the server refuses a socket forced from the viewer's page.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deployRunning, gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 240_000 };
let ployer;
let repo;
let chrome;
let token;
let appId;
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

/** Creates the application from the test repository and deploys it; resolves once RUNNING. */
async function deployed(name) {
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name, gitUrl: repo.url, branch: 'main', buildStrategy: 'DOCKERFILE', dockerfilePath: 'Dockerfile', port: 8080 } },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const id = created.data.createApplication.application.id;
	appIds.push(id);
	await deployRunning(ployer.base, token, id);
	return id;
}

/** Serious and critical accessibility violations on the page, by rule and element. */
async function violations(page) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The text xterm.js shows, row by row. */
const screen = (page) => page.getByTestId('terminal').locator('.xterm-rows').innerText();

test('an admin runs a command in the container from the Terminal tab', LONG, async () => {
	appId = await deployed(`term-${repo.marker}`);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${appId}`);
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Terminal' }).click();
	await page.waitForURL(`**/applications/${appId}/terminal`);
	const status = page.getByTestId('terminal-status');
	await status.filter({ hasText: 'Connected to' }).waitFor();
	assert.match(await status.innerText(), /\/bin\/sh in container [0-9a-f]{12} · closes after 15 min without input/);

	// xterm.js has the focus once the shell is ready: typing goes to the container's shell,
	// which does the arithmetic.
	await page.keyboard.type('echo term-$((6*7))');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent?.includes('term-42'));
	const shown = await screen(page);
	assert.match(shown, /echo term-\$\(\(6\*7\)\)/, 'the typed command is echoed');
	assert.match(shown, /^term-42$/m, 'and its output is on a line of its own');
	// The terminal fills its box: more than the default 80 columns at this width.
	const cols = await page.evaluate(
		() => document.querySelector('[data-testid="terminal"] .xterm-rows')?.firstElementChild?.getBoundingClientRect().width
	);
	assert.ok(cols > 900, `the rows span the screen: ${cols}px`);
	await page.keyboard.type('stty size');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => /\n\d+ (\d{3})\n/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.innerText ?? ''));
	const [, columns] = (await screen(page)).match(/\n\d+ (\d{3})\n/);
	assert.ok(Number(columns) > 80, `the shell's TTY has the terminal's size: ${columns} columns`);
	await screenshots(page, 'terminal');
	assert.deepEqual(await violations(page), [], 'no serious accessibility violation with a shell open');

	// The shell exits: the page says so, and Reconnect opens a new session.
	await page.keyboard.type('exit');
	await page.keyboard.press('Enter');
	const closed = page.getByTestId('terminal-closed');
	await closed.waitFor();
	assert.match(await closed.innerText(), /^The shell exited\.\s*Reconnect$/);
	await screenshots(page, 'terminal-closed');
	await closed.getByRole('button', { name: 'Reconnect' }).click();
	await status.filter({ hasText: 'Connected to' }).waitFor();
	assert.equal(await closed.count(), 0);
	assert.doesNotMatch(await screen(page), /term-42/, 'a new session starts on a clean screen');

	// At 375 px the terminal fits the screen, and the shell's TTY follows.
	await page.setViewportSize({ width: 375, height: 760 });
	// The resize reaches the shell's TTY a moment after the page's: ask again until it has.
	for (let attempt = 1; ; attempt++) {
		await page.keyboard.type('stty size');
		await page.keyboard.press('Enter');
		const narrow = await page
			.waitForFunction(() => /\n\d+ (\d{2})\n/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.innerText ?? ''), null, { timeout: 3_000 })
			.then(() => true, () => false);
		if (narrow) break;
		assert.ok(attempt < 10, `the shell's TTY never took the narrow size: ${await screen(page)}`);
	}
	assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= innerWidth), true, 'no sideways scrolling');
	await screenshots(page, 'terminal-narrow');
	await page.setViewportSize({ width: 1280, height: 860 });

	// The keyboard gets out again: Escape then Tab leaves the terminal.
	await page.keyboard.press('Escape');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="terminal"]') === null), true);

	assert.deepEqual(chrome.cspErrors(), [], 'xterm.js runs under the CSP');
	assert.deepEqual(chrome.offLoopback(), []);
	await page.close();
});

test('an application with no running container gets the reason', async () => {
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name: `idle-${repo.marker}`, gitUrl: repo.url, branch: 'main', buildStrategy: 'DOCKERFILE', dockerfilePath: 'Dockerfile', port: 8080 } },
		token
	);
	const idle = created.data.createApplication.application.id;
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${idle}/terminal`);
	const closed = page.getByTestId('terminal-closed');
	await closed.waitFor();
	assert.match(await closed.innerText(), /No running container\. The application idle-\S+ has no running container: deploy it first\./);
	assert.equal(await closed.getByRole('link', { name: 'Deploy it from the overview' }).count(), 1);
	assert.equal(await page.getByTestId('terminal').isVisible(), false, 'no empty screen');
	await screenshots(page, 'terminal-no-container');
	assert.deepEqual(await violations(page), []);
	await page.close();
});

test('a viewer sees that the terminal is for members and admins, and the server refuses one', async () => {
	assert.ok(appId, 'the first test deployed the application');
	const viewer = { email: 'viewer@example.com', password: 'another horse battery' };
	const created = await graphql(
		ployer.base,
		'mutation($e: String!, $p: String!) { createUser(input: {email: $e, password: $p, role: VIEWER}) { user { id } } }',
		{ e: viewer.email, p: viewer.password },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	await signIn(page, ployer.base, viewer);
	await page.goto(`${ployer.base}/applications/${appId}/terminal`);
	const refusal = page.getByTestId('terminal-not-allowed');
	await refusal.waitFor();
	assert.match(await refusal.innerText(), /The terminal is for members and admins\./);
	assert.equal(await page.getByTestId('terminal').count(), 0, 'no terminal');
	assert.equal(await page.locator('.xterm').count(), 0);
	await screenshots(page, 'terminal-viewer');
	assert.deepEqual(await violations(page), []);

	// Forced from the viewer's page, with the viewer's cookie: the server closes it and says why.
	const forced = await page.evaluate(
		(id) =>
			new Promise((resolve) => {
				const socket = new WebSocket(`ws://${location.host}/applications/${id}/terminal/ws`);
				socket.onopen = () => socket.send(JSON.stringify({ type: 'init', cols: 80, rows: 24 }));
				socket.onclose = (event) => resolve({ code: event.code, reason: event.reason });
			}),
		appId
	);
	assert.deepEqual(forced, { code: 4403, reason: 'the terminal is for members and admins; you are a viewer' });
	await context.close();
	assert.deepEqual(chrome.cspErrors(), []);
});
