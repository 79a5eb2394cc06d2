// Servers against the real binary: the local server with live figures in the list and live
// charts on its page, with the applications it runs; an admin adds a remote server (a key
// or socket that the server refuses shows at its field), finds the key to authorize there,
// checks it (nothing listens on its port: the failed step and the reason), edits and deletes
// it; against a real loopback sshd, the key refused until authorized, then the host key
// recorded and the engine's figures shown, the periodic checks' status live on the list and
// the page, a changed host key refused until accepted, a pasted key; a member sees the same
// pages with no control that changes anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeFindings, freePort, graphql, launch, registerAdmin, screenshots, signIn, sshd, startPloyer } from './harness.js';

const MEMBER = { email: 'member@example.com', password: 'quiet orbit lantern 47' };
let ployer;
let chrome;
let token;
let localId;
const appName = `on-local-${Math.random().toString(36).slice(2, 8)}`;

before(async () => {
	// Validated servers are checked every 2 s (not 30), so the pages' live status shows soon.
	ployer = await startPloyer({ PLOYER_SERVER_CHECK_INTERVAL_SECONDS: '2' });
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

test('an admin adds a remote server, finds its key, validates it (connection refused, with the reason), edits and deletes it', { timeout: 120_000 }, async () => {
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

	// A Docker socket that is no absolute path, then a private key that does not parse: each
	// refused at its field, and nothing is added.
	await page.getByLabel('Name').fill('edge-1');
	assert.equal(await page.getByLabel('Docker socket').inputValue(), '/var/run/docker.sock');
	await page.getByLabel('Docker socket').fill('docker.sock');
	await page.getByRole('button', { name: 'Add server' }).click();
	await page.locator('#server-docker-socket-error').waitFor();
	assert.match(await page.locator('#server-docker-socket-error').innerText(), /absolute path/);
	await page.getByLabel('Docker socket').fill('/var/run/docker.sock');
	await page.getByLabel('Private key (optional)').fill('-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----');
	await page.getByRole('button', { name: 'Add server' }).click();
	const keyError = page.locator('#server-private-key-error');
	await keyError.waitFor();
	assert.match(await keyError.innerText(), /does not parse as an SSH private key/);
	assert.equal(await page.locator('#server-docker-socket-error').count(), 0, 'the earlier error is gone');
	await screenshots(page, 'servers-add-key-error');
	const listed = await graphql(ployer.base, '{ servers { name } }', {}, token);
	assert.deepEqual(
		listed.data.servers.map((s) => s.name),
		['local'],
		'a refused form adds nothing'
	);

	// Without a key Ployer makes one: its public half is on the server's page, to authorize.
	await page.getByLabel('Private key (optional)').fill('');
	await page.getByRole('button', { name: 'Add server' }).click();
	await page.getByRole('heading', { name: 'edge-1' }).waitFor();
	const serverPath = new URL(page.url()).pathname;
	assert.match(serverPath, /^\/servers\/[0-9a-f-]+$/);
	assert.equal(await page.getByTestId('server-head').getByTestId('status-badge').getAttribute('data-status'), 'unknown');
	assert.match(await page.getByTestId('remote-note').innerText(), /Not checked yet/);
	const connect = page.getByTestId('server-connect');
	assert.match(await page.getByTestId('server-public-key').innerText(), /^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* ployer@[0-9a-f]{8}$/);
	assert.match(await connect.innerText(), /~\/\.ssh\/authorized_keys of deploy on 127\.0\.0\.1/);
	await connect.getByRole('button', { name: 'Copy public key' }).waitFor();
	assert.equal(await page.getByTestId('server-docker-socket').innerText(), '/var/run/docker.sock');
	assert.equal(await page.getByTestId('server-host-key').innerText(), 'recorded at the first successful validation');
	assert.equal(await page.getByTestId('server-found').count(), 0, 'no figures before a successful validation');

	// Nothing listens on that port: the step that failed, and why.
	await page.getByRole('button', { name: 'Validate' }).click();
	const result = page.getByTestId('validate-result');
	await result.waitFor();
	assert.match(
		await result.innerText(),
		new RegExp(`^Connection refused\\s+127\\.0\\.0\\.1:${closed} refused the connection: nothing listens on that port \\(is it the SSH port\\?\\)$`)
	);
	await page.locator('[data-testid="server-head"] [data-status="unreachable"]').waitFor();
	assert.equal(await page.getByTestId('host-key-changed').count(), 0, 'no host key to accept');
	// The page's status subscription keeps the websocket up: no outage banner.
	assert.equal(await page.getByTestId('connection-banner').count(), 0);
	await screenshots(page, 'server-remote-unreachable');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on a remote server page');

	// Opened again later, the page says why the last check failed.
	await page.reload();
	await page.getByRole('heading', { name: 'edge-1' }).waitFor();
	assert.match(
		await page.getByTestId('server-last-error').innerText(),
		new RegExp(`^The last check failed: 127\\.0\\.0\\.1:${closed} refused the connection`)
	);

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
	// How Ployer connects, but not the key to authorize: that is an admin's task.
	assert.equal(await page.getByTestId('server-docker-socket').innerText(), '/var/run/docker.sock');
	assert.equal(await page.getByTestId('server-public-key').count(), 0);
	assert.equal(await page.locator('main button').count(), 0, 'no button at all on a remote server for a member');
	assert.equal(await page.locator('main input').count(), 0, 'no input either');
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
	await screenshots(page, 'server-remote-member-375');

	await page.goto(`${ployer.base}/servers/${localId}`);
	await morePoints(page, 'chart-cpu', 1);
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
	assert.equal(await page.locator('main form').count(), 0);
	await screenshots(page, 'server-local-member-375');
	await context.close();
});

test("on a real SSH host: the key refused until authorized, the engine's figures, live status, a changed host key accepted, a pasted key", { timeout: 180_000 }, async () => {
	const host = await sshd();
	const keys = mkdtempSync(join(tmpdir(), 'ployer-web-key-'));
	const name = `ssh-${Math.random().toString(36).slice(2, 8)}`;
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	try {
		await signIn(page, ployer.base);
		await page.goto(`${ployer.base}/servers`);
		await page.getByRole('button', { name: 'Add a server' }).click();
		await page.getByLabel('Name').fill(name);
		await page.getByLabel('Host').fill('127.0.0.1');
		await page.getByLabel('SSH port').fill(String(host.port));
		await page.getByLabel('SSH user').fill('root');
		await page.getByRole('button', { name: 'Add server' }).click();
		await page.getByRole('heading', { name }).waitFor();
		const serverId = new URL(page.url()).pathname.split('/').pop();
		const publicKey = await page.getByTestId('server-public-key').innerText();
		const result = page.getByTestId('validate-result');
		const validate = async () => {
			await page.getByRole('button', { name: 'Validate' }).click();
			await page.getByRole('button', { name: 'Validate' }).waitFor();
			await result.waitFor();
			return result.innerText();
		};

		// The key is not in authorized_keys yet.
		assert.match(await validate(), /^Key not accepted\s+root@127\.0\.0\.1:\d+ did not accept Ployer's key/);

		// Authorized: connected, the host key recorded, the engine's figures read.
		host.authorize(publicKey);
		assert.match(await validate(), /^Reachable\s+connected to root@127\.0\.0\.1:\d+ \(host key SHA256:/);
		await page.locator('[data-testid="server-head"] [data-status="reachable"]').waitFor();
		const pinned = host.fingerprint();
		assert.equal(await page.getByTestId('server-host-key').innerText(), pinned);
		const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
		const found = await page.getByTestId('server-found').innerText();
		assert.match(found, new RegExp(`Docker\\s+${version.replaceAll('.', '\\.').replaceAll('+', '\\+')}`));
		assert.match(found, /CPUs\s+[1-9]\d*/);
		assert.match(found, /Memory\s+[\d.]+ (MiB|GiB|TiB)/);
		assert.match(found, /Disk\s+[\d.]+ (MiB|GiB|TiB) free of [\d.]+ (GiB|TiB)/);
		assert.equal(await page.getByTestId('server-last-error').count(), 0);
		await screenshots(page, 'server-remote-reachable');
		assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on a validated remote server');
		// The key and the fingerprint wrap on a phone's width.
		await page.setViewportSize({ width: 375, height: 800 });
		assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling at 375 px');
		await screenshots(page, 'server-remote-reachable-375');
		await page.setViewportSize({ width: 1280, height: 860 });

		// The host goes away and comes back: the periodic checks' status shows live, on the
		// page and in the list, without a reload.
		const head = page.getByTestId('server-head');
		await host.down();
		await head.locator('[data-status="offline"]').waitFor();
		assert.match(await page.getByTestId('server-last-error').innerText(), new RegExp(`^The last check failed: 127\\.0\\.0\\.1:${host.port} refused the connection`));
		assert.match(await result.innerText(), /^Reachable/, "the page's own check stays as it was");
		await screenshots(page, 'server-remote-offline');
		await host.up();
		await head.locator('[data-status="reachable"]').waitFor();
		assert.equal(await page.getByTestId('server-last-error').count(), 0);

		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).click();
		const card = page.getByTestId(`server-${name}`);
		assert.match(await card.getByTestId('server-found').innerText(), /^Docker \S+ · \d+ CPUs · [\d.]+ \S+ memory · [\d.]+ \S+ of [\d.]+ \S+ disk free$/);
		await screenshots(page, 'servers-with-remote');
		await host.down();
		await card.locator('[data-status="offline"]').waitFor();
		assert.match(await card.getByTestId('server-last-error').innerText(), /refused the connection/);
		await host.up();
		await card.locator('[data-status="reachable"]').waitFor();
		assert.equal(await card.getByTestId('server-last-error').count(), 0);
		await card.getByRole('link', { name }).click();
		await page.getByRole('heading', { name }).waitFor();

		// The host is "reinstalled": another host key. The next periodic check says so, with the
		// button to accept it; a validation names the step.
		await host.replaceHostKey();
		assert.notEqual(host.fingerprint(), pinned);
		await page.getByTestId('host-key-changed').waitFor();
		await head.locator('[data-status="offline"]').waitFor();
		assert.match(await page.getByTestId('server-last-error').innerText(), /^The last check failed: the host key of .* changed/);
		assert.match(await validate(), new RegExp(`^Host key changed\\s+the host key of 127\\.0\\.0\\.1:${host.port} changed: recorded ${pinned.replaceAll('+', '\\+')}`));
		await page.getByTestId('host-key-changed').waitFor();
		assert.equal(await page.getByTestId('server-last-error').count(), 0, 'said once, by the check just made');
		await screenshots(page, 'server-remote-host-key-changed');
		assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding with a changed host key');
		// Opened again, the recorded error still offers the button.
		await page.reload();
		await page.getByRole('heading', { name }).waitFor();
		assert.match(await page.getByTestId('server-last-error').innerText(), /^The last check failed: the host key of .* changed/);
		await page.getByRole('button', { name: 'Accept the new host key' }).click();
		await page.getByTestId('confirm').getByRole('alert').waitFor();
		assert.match(await page.getByTestId('confirm').innerText(), new RegExp(`instead of ${pinned.replaceAll('+', '\\+')}`));
		await screenshots(page, 'server-remote-accept-confirm');
		await page.getByRole('button', { name: 'Trust the new host key' }).click();
		await result.waitFor();
		assert.match(await result.innerText(), /^New host key accepted; reachable\s+connected to/);
		assert.equal(await page.getByTestId('server-host-key').innerText(), host.fingerprint());
		assert.equal(await page.getByTestId('host-key-changed').count(), 0);
		assert.equal(await page.getByTestId('server-last-error').count(), 0);

		// A key pasted in the settings replaces Ployer's: its public half is shown, the textarea
		// emptied, and the host refuses it until it is authorized there (the periodic check
		// finds that out too).
		execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pasted', '-f', join(keys, 'id')]);
		await page.getByLabel('New private key (optional)').fill(readFileSync(join(keys, 'id'), 'utf8'));
		await page.getByRole('button', { name: 'Save' }).click();
		const pastedPublic = readFileSync(join(keys, 'id.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
		await page.waitForFunction((want) => document.querySelector('[data-testid="server-public-key"]')?.textContent?.startsWith(want), pastedPublic);
		assert.equal(await page.getByLabel('New private key (optional)').inputValue(), '');
		assert.equal(await page.getByTestId('server-host-key').innerText(), host.fingerprint(), 'the same host and port keep the host key');
		await head.locator('[data-status="offline"]').waitFor();
		assert.match(await page.getByTestId('server-last-error').innerText(), /did not accept Ployer's key/);
		assert.match(await validate(), /^Key not accepted/);
		const { data } = await graphql(ployer.base, 'query($id: ID!) { server(id: $id) { publicKey } }', { id: serverId }, token);
		assert.ok(data.server.publicKey.startsWith(pastedPublic), data.server.publicKey);
		assert.deepEqual(chrome.cspErrors(), []);
		assert.deepEqual(chrome.offLoopback(), []);
	} finally {
		await page.close();
		const { data } = await graphql(ployer.base, '{ servers { id name } }', {}, token);
		for (const server of data?.servers.filter((s) => s.name === name) ?? []) {
			await graphql(ployer.base, 'mutation($id: ID!) { deleteServer(input: {id: $id}) { deletedServerId } }', { id: server.id }, token);
		}
		rmSync(keys, { recursive: true, force: true });
		await host.stop();
	}
});
