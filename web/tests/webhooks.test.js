// The Webhooks and Git tabs against the real binary, Docker, Caddy and git: GitHub enabled
// from the page, its secret shown once; a push signed with that secret as GitHub signs it
// shows up in the deliveries live (and its deployment runs); rotating shows a new secret
// once and the old one is refused; a delivery made while the websocket was down appears
// once it is back; a viewer follows deliveries but changes nothing; disabling stops them.
// The Git tab shows an ssh repository's deploy key and regenerates it after a warning.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 240_000 };
const VIEWER = { email: 'viewer@example.com', password: 'another horse battery' };
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
	await chrome.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ployer.base });
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

async function api(query, variables = {}) {
	const result = await graphql(ployer.base, query, variables, token);
	assert.ok(result.data && !result.errors, JSON.stringify(result));
	return result.data;
}

async function createApp(input) {
	const data = await api('mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }', { i: input });
	const id = data.createApplication.application.id;
	appIds.push(id);
	return id;
}

/** A GitHub `push` payload as documented (the fields Ployer reads, and some it must ignore). */
function githubPush(branch, before, after, message) {
	const head = {
		id: after,
		tree_id: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
		distinct: true,
		message,
		timestamp: '2026-05-01T10:00:00+02:00',
		url: `https://github.com/octo-org/app/commit/${after}`,
		author: { name: 'Ada Lovelace', email: 'ada@example.com', username: 'ada' },
		committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
		added: [],
		removed: [],
		modified: ['www/index.html']
	};
	return {
		ref: `refs/heads/${branch}`,
		before,
		after,
		repository: {
			id: 1296269,
			name: 'app',
			full_name: 'octo-org/app',
			private: false,
			owner: { name: 'octo-org', login: 'octo-org', id: 1, type: 'Organization' },
			html_url: 'https://github.com/octo-org/app',
			clone_url: 'https://github.invalid/attacker/other.git',
			ssh_url: 'git@github.invalid:attacker/other.git',
			default_branch: branch
		},
		pusher: { name: 'ada', email: 'ada@example.com' },
		sender: { login: 'ada', id: 583231, type: 'User', site_admin: false },
		created: false,
		deleted: false,
		forced: false,
		base_ref: null,
		compare: `https://github.com/octo-org/app/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
		commits: [head],
		head_commit: head
	};
}

/** POSTs a delivery as GitHub does: the raw body signed with HMAC-SHA256 of the secret. */
async function deliver(url, secret, event, payload, id = randomUUID()) {
	const body = Buffer.from(JSON.stringify(payload, null, 2));
	const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
	const res = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'user-agent': 'GitHub-Hookshot/044aadd',
			'x-github-event': event,
			'x-github-delivery': id,
			'x-github-hook-id': '292430182',
			'x-github-hook-installation-target-type': 'repository',
			'x-hub-signature-256': signature
		},
		body
	});
	return { id, status: res.status, answer: await res.json().catch(() => null) };
}

/** The secret and payload URL the page shows for a provider right after enabling/rotating. */
async function shownSecret(page, provider) {
	const box = page.getByTestId(`webhook-${provider}`).getByTestId('webhook-secret');
	await box.waitFor();
	return {
		secret: (await box.getByTestId('webhook-secret-value').innerText()).trim(),
		url: (await box.getByTestId('webhook-url').innerText()).trim()
	};
}

/**
 * Resolves once the page has asked for the deliveries subscription (on its next websocket)
 * and the server had a moment to register it. Call before the navigation that opens it.
 */
function deliveriesFollowed(page) {
	return new Promise((resolve) => {
		page.on('websocket', (ws) =>
			ws.on('framesent', ({ payload }) => {
				if (String(payload).includes('webhookDeliveryReceived')) setTimeout(resolve, 300);
			})
		);
	});
}

/** Marks the page so that a reload (which would forget the mark) can be told apart. */
const markPage = (page) => page.evaluate(() => (window.notReloaded = true));
const stillSamePage = (page) => page.evaluate(() => window.notReloaded === true);

test('a signed GitHub push shows up live, rotating shows a new secret once, a viewer follows, disabling stops deliveries', LONG, async () => {
	const appId = await createApp({ name: `hooks-${repo.marker}`, gitUrl: repo.url, port: 8080 });
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${appId}/webhooks`);
	const github = page.getByTestId('webhook-GITHUB');
	assert.match(await github.getByTestId('webhook-state').innerText(), /not set up/);
	await page.getByTestId('empty').waitFor();

	// Enable: the payload URL and the secret, once, with copy buttons and GitHub's steps.
	await github.getByRole('button', { name: 'Enable GitHub' }).click();
	const first = await shownSecret(page, 'GITHUB');
	assert.match(first.secret, /^[0-9a-f]{64}$/);
	assert.match(first.url, new RegExp(`^${ployer.base}/webhooks/github/[0-9a-f-]{36}$`));
	const steps = await github.getByTestId('webhook-secret').innerText();
	assert.match(steps, /application\/json/);
	assert.match(steps, /push event/i);
	assert.match(steps, /Settings → Webhooks/);
	assert.match(await github.getByTestId('webhook-state').innerText(), /enabled/);
	await github.getByRole('button', { name: 'Copy secret' }).click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first.secret, 'the copy button copies the secret');
	await github.getByRole('button', { name: 'Copy URL' }).first().click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first.url);
	await screenshots(page, 'webhooks-secret');
	// Hidden once dismissed, and never shown again: not after a reload either.
	await github.getByRole('button', { name: /hide the secret/ }).click();
	assert.equal((await page.content()).includes(first.secret), false, 'the secret is gone from the page');
	const followed = deliveriesFollowed(page);
	await page.reload();
	await github.getByText(first.url).waitFor();
	assert.equal((await page.content()).includes(first.secret), false, 'the secret is not shown again');
	await followed;

	// A push to the app's branch, signed with the secret the page showed, appears in the list
	// without a reload, deployed; its deployment's status follows live until it runs.
	await markPage(page);
	const before = repo.commit('v1b');
	const v2 = repo.commit('v2');
	const pushed = await deliver(first.url, first.secret, 'push', githubPush('main', before, v2, 'version v2'));
	assert.equal(pushed.status, 202, JSON.stringify(pushed.answer));
	const row = page.locator(`[data-testid="delivery"][data-delivery-id="${pushed.id}"]`);
	await row.waitFor();
	assert.ok(await stillSamePage(page), 'the delivery arrived without a reload');
	assert.equal(await row.getByTestId('delivery-status').getAttribute('data-status'), 'DEPLOYED');
	const text = await row.innerText();
	assert.match(text, /push/);
	assert.match(text, /main/);
	assert.ok(text.includes(v2.slice(0, 7)), `the commit is shown: ${text}`);
	assert.match(text, /version v2/);
	assert.match(text, /Ada Lovelace/);
	await row.locator('[data-testid="delivery-deployment"] [data-status="RUNNING"]').waitFor(LONG);
	assert.ok(await stillSamePage(page));
	const deploymentHref = await row.getByTestId('delivery-deployment').getAttribute('href');
	assert.match(deploymentHref, new RegExp(`^/applications/${appId}/deployments/[0-9a-f-]{36}$`));
	await screenshots(page, 'webhooks');

	// Rotate: a warning first, then a new secret, shown once; the old one is refused (and
	// that refusal shows up live too), the new one verifies.
	await github.getByRole('button', { name: 'Rotate secret' }).click();
	assert.match(await github.getByTestId('confirm').innerText(), /old secret/);
	await github.getByRole('button', { name: 'Rotate: the old secret stops working' }).click();
	const second = await shownSecret(page, 'GITHUB');
	assert.match(second.secret, /^[0-9a-f]{64}$/);
	assert.notEqual(second.secret, first.secret, 'a new secret');
	assert.equal(second.url, first.url, 'the payload URL stays');
	const stale = await deliver(first.url, first.secret, 'ping', { zen: 'Keep it logically awesome.' });
	assert.equal(stale.status, 401);
	const rejected = page.locator('[data-testid="delivery"]', { has: page.locator('[data-status="REJECTED"]') });
	await rejected.first().waitFor();
	assert.match(await rejected.first().innerText(), /signature/i);
	const ping = await deliver(second.url, second.secret, 'ping', { zen: 'Design for failure.', hook_id: 1 });
	assert.equal(ping.status, 200);
	const pingRow = page.locator(`[data-testid="delivery"][data-delivery-id="${ping.id}"]`);
	await pingRow.waitFor();
	assert.equal(await pingRow.getByTestId('delivery-status').getAttribute('data-status'), 'SKIPPED');
	assert.equal(await pingRow.getByRole('button', { name: 'Redeliver' }).count(), 0, 'a ping has no commit to redeliver');
	await github.getByRole('button', { name: /hide the secret/ }).click();
	await page.reload();
	await github.getByText(first.url).waitFor();
	assert.equal((await page.content()).includes(second.secret), false, 'the rotated secret is not shown again');

	// A delivery made while the websocket was down shows up once it is back.
	const sockets = [];
	const live = await chrome.context.newPage();
	live.setDefaultTimeout(30_000);
	await live.routeWebSocket(/\/graphql\/ws$/, (ws) => {
		sockets.push(ws);
		ws.connectToServer();
	});
	const liveFollowed = deliveriesFollowed(live);
	await live.goto(`${ployer.base}/applications/${appId}/webhooks`);
	await live.locator(`[data-testid="delivery"][data-delivery-id="${ping.id}"]`).waitFor();
	await liveFollowed;
	assert.ok(sockets.length > 0, 'the page opened its websocket');
	await markPage(live);
	await sockets.at(-1).close({ code: 1011, reason: 'cut by the test' });
	const missed = await deliver(second.url, second.secret, 'issues', { action: 'opened', issue: { number: 1 } });
	assert.equal(missed.status, 200);
	const missedRow = live.locator(`[data-testid="delivery"][data-delivery-id="${missed.id}"]`);
	await missedRow.waitFor();
	assert.ok(await stillSamePage(live), 'it came back without a reload');
	assert.match(await missedRow.innerText(), /only pushes do/);
	await live.close();

	// Redeliver deploys the push's commit again: the row links the new deployment.
	await row.getByRole('button', { name: 'Redeliver' }).click();
	await page.waitForFunction(
		([id, href]) => {
			const link = document.querySelector(`[data-delivery-id="${id}"] [data-testid="delivery-deployment"]`);
			return link && link.getAttribute('href') !== href;
		},
		[pushed.id, deploymentHref]
	);

	// A viewer follows the deliveries live but has no control that changes anything.
	await api('mutation($e: String!, $p: String!) { createUser(input: {email: $e, password: $p, role: VIEWER}) { user { id } } }', {
		e: VIEWER.email,
		p: VIEWER.password
	});
	const viewerContext = await chrome.browser.newContext();
	chrome.watch(viewerContext);
	const viewer = await viewerContext.newPage();
	viewer.setDefaultTimeout(30_000);
	await signIn(viewer, ployer.base, VIEWER);
	const viewerFollows = deliveriesFollowed(viewer);
	await viewer.goto(`${ployer.base}/applications/${appId}/webhooks`);
	await viewer.locator(`[data-testid="delivery"][data-delivery-id="${pushed.id}"]`).waitFor();
	await viewer.waitForLoadState('networkidle');
	await viewerFollows;
	const buttons = await viewer.locator('main button:not(.ghost):visible').allInnerTexts();
	assert.deepEqual(
		buttons.filter((b) => !/^(Copy.*|Older deliveries)$/.test(b.trim())),
		[],
		'no control that changes anything'
	);
	const seen = await deliver(second.url, second.secret, 'ping', { zen: 'Viewers watch.' });
	await viewer.locator(`[data-testid="delivery"][data-delivery-id="${seen.id}"]`).waitFor();
	await viewerContext.close();

	// Paged: 20 at a time, older ones on request; a new one still arrives on top.
	const burst = await Promise.all(
		Array.from({ length: 20 }, (_, i) => deliver(second.url, second.secret, 'ping', { zen: `Ping ${i}.` }))
	);
	assert.ok(burst.every((d) => d.status === 200));
	const rows = page.getByTestId('delivery');
	const pagedFollow = deliveriesFollowed(page);
	await page.reload();
	await page.getByRole('button', { name: 'Older deliveries' }).waitFor();
	assert.equal(await rows.count(), 20);
	await page.getByRole('button', { name: 'Older deliveries' }).click();
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="delivery"]').length === 25);
	assert.equal(await page.getByRole('button', { name: 'Older deliveries' }).count(), 0);
	await rows.last().locator(`xpath=self::*[@data-delivery-id="${pushed.id}"]`).waitFor();
	await pagedFollow;
	const newest = await deliver(second.url, second.secret, 'ping', { zen: 'On top.' });
	await rows.first().locator(`xpath=self::*[@data-delivery-id="${newest.id}"]`).waitFor();
	assert.equal(await rows.count(), 26);

	// Disable: after a warning; deliveries are then refused as if the webhook did not exist.
	await github.getByRole('button', { name: 'Disable' }).click();
	assert.match(await github.getByTestId('confirm').innerText(), /stop deploying/);
	await github.getByRole('button', { name: 'Disable GitHub deliveries' }).click();
	await github.getByTestId('webhook-state').filter({ hasText: 'disabled' }).waitFor();
	const refused = await deliver(second.url, second.secret, 'ping', { zen: 'Gone.' });
	assert.equal(refused.status, 404);
	assert.equal(await github.getByRole('button', { name: 'Enable GitHub again' }).count(), 1);

	// Usable at 375 px: the tab does not scroll sideways (the table scrolls in its card).
	await page.setViewportSize({ width: 375, height: 800 });
	await page.reload();
	await page.locator(`[data-testid="delivery"][data-delivery-id="${newest.id}"]`).waitFor();
	await screenshots(page, 'webhooks-375');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 375, `no horizontal scrolling at 375 px (page is ${width} px wide)`);
	await page.close();
	assert.deepEqual(chrome.cspErrors(), []);
	assert.deepEqual(chrome.offLoopback(), []);
});

test('the Git tab shows the deploy key of an ssh repository and regenerates it after a warning', async () => {
	const appId = await createApp({ name: `ssh-${repo.marker}`, gitUrl: 'git@git.example.com:team/app.git', port: 8080 });
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${appId}/git`);
	const key = page.getByTestId('deploy-key');
	await key.waitFor();
	assert.equal(await page.getByTestId('git-url').innerText(), 'git@git.example.com:team/app.git');
	const old = {
		publicKey: (await key.getByTestId('deploy-key-public').innerText()).trim(),
		fingerprint: (await key.getByTestId('deploy-key-fingerprint').innerText()).trim()
	};
	assert.match(old.publicKey, /^ssh-ed25519 AAAA/);
	assert.match(old.fingerprint, /^SHA256:/);
	await key.getByRole('button', { name: 'Copy public key' }).click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), old.publicKey);

	// Regenerate asks first, saying the old key stops working; cancelling changes nothing.
	await key.getByRole('button', { name: 'Regenerate key' }).click();
	assert.match(await key.getByTestId('confirm').innerText(), /old public key stops working/);
	await screenshots(page, 'git-regenerate');
	await key.getByRole('button', { name: 'Cancel' }).click();
	assert.equal((await key.getByTestId('deploy-key-public').innerText()).trim(), old.publicKey);
	await key.getByRole('button', { name: 'Regenerate key' }).click();
	await key.getByRole('button', { name: 'Regenerate: the old key stops working' }).click();
	await page.waitForFunction(
		(previous) => document.querySelector('[data-testid="deploy-key-public"]')?.textContent.trim() !== previous,
		old.publicKey
	);
	const fresh = {
		publicKey: (await key.getByTestId('deploy-key-public').innerText()).trim(),
		fingerprint: (await key.getByTestId('deploy-key-fingerprint').innerText()).trim()
	};
	assert.match(fresh.publicKey, /^ssh-ed25519 AAAA/);
	assert.notEqual(fresh.fingerprint, old.fingerprint);
	const stored = await api('query($id: ID!) { application(id: $id) { deployKey { publicKey fingerprint } } }', { id: appId });
	assert.deepEqual(stored.application.deployKey, fresh, 'the page shows the key the server now uses');
	await screenshots(page, 'git');
	// The overview shows the new key too.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Overview' }).click();
	await page.getByTestId('deploy-key').getByText(fresh.fingerprint).waitFor();

	// An https repository: the user is shown, the token is write-only, and both can be cleared.
	const httpsId = await createApp({ name: `https-${repo.marker}`, gitUrl: 'https://git.example.com/team/private.git', port: 8080 });
	await page.goto(`${ployer.base}/applications/${httpsId}/git`);
	const credentials = page.getByTestId('git-credentials');
	await credentials.waitFor();
	await page.getByLabel('User name').fill('deploy-bot');
	await page.getByLabel('Token').fill('glpat-secret-token-456');
	await page.getByRole('button', { name: 'Save credentials' }).click();
	await credentials.getByText('deploy-bot').waitFor();
	assert.equal(await page.getByLabel('Token').inputValue(), '');
	await page.reload();
	await credentials.getByText('deploy-bot').waitFor();
	assert.equal((await page.content()).includes('glpat-secret-token-456'), false, 'the token is never in the page');
	await screenshots(page, 'git-credentials');
	await credentials.getByRole('button', { name: 'Remove' }).click();
	await page.waitForFunction(() => !document.querySelector('[data-testid="git-credentials"]').textContent.includes('deploy-bot'));
	const cleared = await api('query($id: ID!) { application(id: $id) { gitCredentials { username } } }', { id: httpsId });
	assert.equal(cleared.application.gitCredentials, null);

	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto(`${ployer.base}/applications/${appId}/git`);
	await page.getByTestId('deploy-key').waitFor();
	await screenshots(page, 'git-375');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 375, `no horizontal scrolling at 375 px (page is ${width} px wide)`);
	await page.close();
});
