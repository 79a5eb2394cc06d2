// The Docker pages, against the real engine: an admin sees a container the test started,
// follows its live log and its live resources, stops, starts, restarts and removes it (a
// running one only after the refusal and by force); the lists and a container's page follow
// what the docker CLI does meanwhile, without a reload; a volume shows its size; removing an
// image a container uses is refused in the server's words, then forced; a pull from an
// unreachable (loopback) registry says why it failed; an application's container links its application and
// deployment, and stopping it says the reconciler will start it again; a container's log
// resumes after the connection drops with every line once; a network and a volume are
// created and removed, and one in use is refused in the server's words naming the
// container; the image, network and volume prunes' dry runs list what would go and remove
// nothing, and only the confirmation removes it; a member is told "not allowed" and sends
// no request the server would refuse. Every Docker object the test makes is removed
// afterwards, whatever happened, and every prune is limited to the test's own label.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { axeFindings, gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 180_000 };
const IMAGE = 'ployer-test/busybox:latest';
const x = Math.random().toString(36).slice(2, 8);
const names = {
	container: `web-docker-${x}`,
	user: `web-docker-user-${x}`,
	network: `web-net-${x}`,
	volume: `web-vol-${x}`,
	image: `ployer-web-prune-${x}:latest`,
	pruned: `web-pruned-${x}`,
	ticker: `web-docker-ticker-${x}`,
	live: `web-docker-live-${x}`,
	liveVolume: `web-vol-live-${x}`,
	inUse: `ployer-web-in-use-${x}:latest`,
	imageUser: `web-docker-image-user-${x}`,
	label: `ployer.test.prune=${x}`
};
const MEMBER = { email: `member-${x}@example.com`, password: 'member horse battery' };

let ployer;
let chrome;
let token;
let repo;
const appIds = [];

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
/** Whether the engine still has the object (`docker <kind> inspect`). */
function exists(kind, name) {
	try {
		docker(kind, 'inspect', name);
		return true;
	} catch {
		return false;
	}
}

before(async () => {
	// A sample a second: the container page's live figures and charts fill quickly.
	ployer = await startPloyer({ PLOYER_STATS_INTERVAL_SECONDS: '1' });
	token = await registerAdmin(ployer.base);
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
	for (const args of [
		['rm', '-f', names.container, names.user, names.ticker, names.live, names.imageUser],
		['network', 'rm', names.network],
		['network', 'rm', names.pruned],
		['volume', 'rm', '-f', names.volume],
		['volume', 'rm', '-f', names.pruned],
		['volume', 'rm', '-f', names.liveVolume],
		['rmi', '-f', names.image],
		['rmi', '-f', names.inUse]
	]) {
		try {
			docker(...args);
		} catch {
			// already gone
		}
	}
});

/** The page's width at 375 px, which must not scroll sideways (screenshots as `<name>-375`). */
async function narrowWidth(page, name) {
	await page.setViewportSize({ width: 375, height: 800 });
	await page.waitForTimeout(150);
	await screenshots(page, `${name}-375`);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	await page.setViewportSize({ width: 1280, height: 860 });
	return width;
}

test('an admin follows a container the test started: its live log, stop, start, restart, and remove after a refusal', LONG, async () => {
	docker(
		'run', '-d', '--name', names.container, '-p', '127.0.0.1::8080', IMAGE,
		'sh', '-c', `trap 'exit 0' TERM; echo marker-${x}; httpd -f -p 8080 -h / & wait`
	);
	const published = docker('port', names.container, '8080/tcp').split('\n')[0];
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signIn(page, ployer.base);

	// The list: state, image, published port; "Only Ployer's" leaves it out.
	await page.goto(`${ployer.base}/docker`);
	await page.waitForURL('**/docker/containers');
	const row = page.getByTestId(`container-${names.container}`);
	await row.waitFor();
	assert.equal(await row.getAttribute('data-state'), 'running');
	const text = await row.innerText();
	assert.ok(text.includes(IMAGE), text);
	assert.ok(text.includes(`${published} → 8080/tcp`), `the published port ${published} shows: ${text}`);
	await page.getByLabel("Only Ployer's").check();
	await page.waitForURL(/ployer=1/);
	await row.waitFor({ state: 'detached' });
	await page.getByLabel("Only Ployer's").uncheck();
	await row.waitFor();
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the containers page');
	await screenshots(page, 'docker-containers');
	assert.ok((await narrowWidth(page, 'docker-containers')) <= 375, 'the containers page fits 375 px');

	// Its page: the log has the marker, and a line printed now arrives live.
	await row.getByRole('link', { name: names.container, exact: true }).click();
	await page.waitForURL(/\/docker\/containers\/[0-9a-f]{64}$/);
	await page.getByRole('heading', { name: names.container }).waitFor();
	await page.getByTestId('log-row').filter({ hasText: `marker-${x}` }).first().waitFor();
	docker('exec', names.container, 'sh', '-c', `echo live-${x} > /proc/1/fd/1`);
	await page.getByTestId('log-row').filter({ hasText: `live-${x}` }).first().waitFor();
	// Its resources, live: CPU and memory against its limit, network and block I/O, and the
	// rate charts once two samples are in.
	const stats = page.getByTestId('container-stats');
	await stats.getByRole('meter', { name: 'CPU' }).waitFor();
	const memory = stats.getByRole('meter', { name: 'Memory' });
	await memory.waitFor();
	assert.match(await stats.innerText(), /% of one core/);
	assert.match(await stats.innerText(), /\d+(\.\d)? (B|KiB|MiB) of \d+(\.\d)? (MiB|GiB|TiB) \(\d+%\)/, 'memory against its limit');
	assert.match(await stats.getByTestId('stats-network').innerText(), /received, .* sent/);
	assert.match(await stats.getByTestId('stats-block').innerText(), /read, .* written/);
	// A request to its httpd moves the network counters: the figures are live.
	const before = await stats.getByTestId('stats-network').innerText();
	for (let i = 0; i < 20; i++) await fetch(`http://${published}/`).catch(() => {});
	await page.waitForFunction((old) => document.querySelector('[data-testid="stats-network"]')?.textContent?.trim() !== old.trim(), before, { timeout: 15_000 });
	await stats.getByTestId('chart-network').waitFor();
	await stats.getByTestId('chart-block').waitFor();
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the container page');
	await screenshots(page, 'docker-container');
	assert.ok((await narrowWidth(page, 'docker-container')) <= 375, 'the container page fits 375 px');
	// A restart from here follows the new output: the marker is printed again.
	await page.getByRole('button', { name: `Restart ${names.container}`, exact: true }).click();
	await page.getByTestId('toast-success').filter({ hasText: `${names.container} restarted` }).waitFor();
	await page.waitForFunction(
		(marker) => [...document.querySelectorAll('[data-testid="log-row"]')].filter((r) => r.textContent.includes(marker)).length >= 2,
		`marker-${x}`
	);

	// Back in the list: stop, start and restart change its state there.
	await page.getByRole('link', { name: 'Containers' }).first().click();
	await row.waitFor();
	await row.getByRole('button', { name: `Stop ${names.container}`, exact: true }).click();
	await page.locator(`[data-testid="container-${names.container}"][data-state="exited"]`).waitFor();
	assert.equal(docker('inspect', '-f', '{{.State.Running}}', names.container), 'false');
	await row.getByRole('button', { name: `Start ${names.container}`, exact: true }).click();
	await page.locator(`[data-testid="container-${names.container}"][data-state="running"]`).waitFor();
	assert.equal(docker('inspect', '-f', '{{.State.Running}}', names.container), 'true');
	const startedBefore = docker('inspect', '-f', '{{.State.StartedAt}}', names.container);
	const restarted = page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql' && /restartContainer/.test(r.request().postData() ?? ''));
	await row.getByRole('button', { name: `Restart ${names.container}`, exact: true }).click();
	await restarted;
	await row.getByRole('button', { name: `Restart ${names.container}`, exact: true }).and(page.locator(':enabled')).waitFor();
	assert.equal(await row.getAttribute('data-state'), 'running');
	assert.notEqual(docker('inspect', '-f', '{{.State.StartedAt}}', names.container), startedBefore, 'it started again');

	// Removing it while it runs is refused, in the server's words; then removed by force.
	const refusedByApi = await graphql(
		ployer.base,
		'mutation($id: ID!) { removeContainer(input: {id: $id}) { removedContainerId } }',
		{ id: names.container },
		token
	);
	assert.equal(refusedByApi.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(refusedByApi));
	await row.getByRole('button', { name: `Remove ${names.container}`, exact: true }).click();
	await page.getByRole('group', { name: `Remove ${names.container}?` }).getByRole('button', { name: 'Remove' }).click();
	const refusal = page.getByTestId('refusal');
	await refusal.waitFor();
	assert.equal(await refusal.getAttribute('data-code'), 'CONFLICT');
	assert.equal((await page.getByTestId('refusal-message').innerText()).trim(), refusedByApi.errors[0].message.replaceAll('`', ''));
	assert.ok(exists('container', names.container), 'the refused removal removed nothing');
	await screenshots(page, 'docker-containers-refusal');
	await refusal.getByRole('button', { name: 'Kill and remove it' }).click();
	await row.waitFor({ state: 'detached' });
	assert.equal(exists('container', names.container), false, 'the container is gone from the engine');
	await page.close();
});

test('the lists and a container page follow what the docker CLI does, without a reload', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/docker/containers`);
	await page.getByTestId('containers').or(page.getByTestId('empty')).first().waitFor();
	// Gone after any reload: proof that what follows arrived live.
	await page.evaluate(() => (window.__notReloaded = true));
	const notReloaded = () => page.evaluate(() => window.__notReloaded === true);

	// A container started elsewhere appears, stops and goes.
	docker('run', '-d', '--name', names.live, IMAGE, 'sh', '-c', "trap 'exit 0' TERM; sleep 600 & wait");
	const row = page.getByTestId(`container-${names.live}`);
	await page.locator(`[data-testid="container-${names.live}"][data-state="running"]`).waitFor();
	await screenshots(page, 'docker-containers-live');
	docker('stop', '-t', '1', names.live);
	await page.locator(`[data-testid="container-${names.live}"][data-state="exited"]`).waitFor();
	docker('start', names.live);
	await page.locator(`[data-testid="container-${names.live}"][data-state="running"]`).waitFor();
	assert.ok(await notReloaded(), 'the list changed without a reload');

	// Its page follows its state: stopped elsewhere, the live figures go; started, they come
	// back; removed, the page says so.
	await row.getByRole('link', { name: names.live, exact: true }).click();
	await page.getByRole('heading', { name: names.live }).waitFor();
	const stats = page.getByTestId('container-stats');
	await stats.getByRole('meter', { name: 'CPU' }).waitFor();
	docker('stop', '-t', '1', names.live);
	await page.getByTestId('container-status').filter({ hasText: /^Exited/ }).waitFor();
	await stats.waitFor({ state: 'detached' });
	docker('start', names.live);
	await page.getByTestId('container-status').filter({ hasText: /^Up/ }).waitFor();
	await stats.getByRole('meter', { name: 'Memory' }).waitFor();
	docker('rm', '-f', names.live);
	await page.getByText('There is no such container: it may have been removed.').waitFor();
	assert.ok(await notReloaded(), 'the container page changed without a reload');

	// A volume made and filled elsewhere appears with its size.
	await page.getByRole('link', { name: 'Containers' }).first().click();
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Volumes' }).click();
	await page.getByTestId('volumes').or(page.getByTestId('empty')).first().waitFor();
	docker('volume', 'create', names.liveVolume);
	docker('run', '--rm', '-v', `${names.liveVolume}:/data`, IMAGE, 'sh', '-c', "printf '%1048576s' x > /data/mib");
	const volumeRow = page.getByTestId(`volume-${names.liveVolume}`);
	await volumeRow.getByTestId('volume-size').filter({ hasText: '1.0 MiB' }).waitFor();
	assert.ok(await notReloaded(), 'the volume arrived without a reload');
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the volumes page with sizes');
	await screenshots(page, 'docker-volumes-sizes');
	assert.ok((await narrowWidth(page, 'docker-volumes-sizes')) <= 375, 'the volumes page fits 375 px');
	await page.close();
});

test("removing an image a container uses is refused in the server's words, then forced; a failed pull says why", LONG, async () => {
	execFileSync('docker', ['build', '-q', '-t', names.inUse, '--label', `ployer.test.in-use=${x}`, '-'], { input: `FROM ${IMAGE}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
	const id = docker('image', 'inspect', '-f', '{{.Id}}', names.inUse);
	docker('create', '--name', names.imageUser, names.inUse, 'true');
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/docker/images`);
	const imageRow = page.getByTestId(`image-${id.replace('sha256:', '').slice(0, 12)}`);
	await imageRow.waitFor();
	assert.match(await imageRow.innerText(), /1 container/);

	const refusedByApi = await graphql(ployer.base, 'mutation($id: ID!) { removeImage(input: {id: $id}) { removedImageId } }', { id }, token);
	assert.equal(refusedByApi.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(refusedByApi));
	await imageRow.getByRole('button', { name: `Remove image ${names.inUse}` }).click();
	await page.getByRole('group', { name: `Remove ${names.inUse}?` }).getByRole('button', { name: 'Remove' }).click();
	const refusal = page.getByTestId('refusal');
	await refusal.waitFor();
	assert.equal(await refusal.getAttribute('data-code'), 'CONFLICT');
	const message = (await page.getByTestId('refusal-message').innerText()).trim();
	assert.equal(message, refusedByApi.errors[0].message.replaceAll('`', ''));
	assert.ok(message.includes(names.imageUser), message);
	assert.ok(exists('image', names.inUse), 'the refused removal removed nothing');
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the images page with a refusal');
	await screenshots(page, 'docker-images-refusal');

	await refusal.getByRole('button', { name: 'Remove it anyway' }).click();
	await imageRow.waitFor({ state: 'detached' });
	assert.equal(exists('image', names.inUse), false, 'the image is gone from the engine');
	assert.ok(exists('container', names.imageUser), 'its stopped container stays');

	// A registry nobody answers for (port 1 of the loopback): the engine's reason is shown.
	await page.getByLabel('Image reference').fill('127.0.0.1:1/nothing');
	await page.getByRole('button', { name: 'Pull image' }).click();
	const pullError = page.getByTestId('pull-error');
	await pullError.waitFor();
	assert.match(await pullError.innerText(), /127\.0\.0\.1:1\/nothing:latest.*connection refused/s);
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the images page with a failed pull');
	await screenshots(page, 'docker-images-pull-error');
	// A reference that is no reference is refused at its field.
	await page.getByLabel('Image reference').fill('Not An Image');
	await page.getByRole('button', { name: 'Pull image' }).click();
	await page.locator('#pull-reference-error').waitFor();
	assert.ok((await narrowWidth(page, 'docker-images-pull')) <= 375, 'the images page fits 375 px');
	await page.close();
});

test("an application's container shows its application and deployment, and stopping it says the reconciler will start it again", LONG, async () => {
	repo = await gitRepo();
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id name } } }',
		{ i: { name: `dock-${repo.marker}`, gitUrl: repo.url, port: 8080 } },
		token
	);
	const app = created.data.createApplication.application;
	appIds.push(app.id);
	const deployed = await graphql(ployer.base, 'mutation($id: ID!) { deploy(input: {applicationId: $id}) { deployment { id } } }', { id: app.id }, token);
	const deploymentId = deployed.data.deploy.deployment.id;
	for (let i = 0; ; i++) {
		const { data } = await graphql(ployer.base, 'query($id: ID!) { deployment(id: $id) { status error } }', { id: deploymentId }, token);
		if (data.deployment.status === 'RUNNING') break;
		assert.ok(!['FAILED', 'CANCELLED'].includes(data.deployment.status), `the deployment failed: ${data.deployment.error}`);
		assert.ok(i < 360, 'the deployment is running within 3 minutes');
		await new Promise((r) => setTimeout(r, 500));
	}
	const container = docker('ps', '-q', '--no-trunc', '--filter', `label=ployer.deployment=${deploymentId}`);

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/docker/containers?ployer=1`);
	const row = page.locator(`tr[data-testid^="container-"]`).filter({ has: page.locator(`a[href="/docker/containers/${container}"]`) });
	await row.waitFor();
	assert.equal(await row.getByRole('link', { name: app.name, exact: true }).getAttribute('href'), `/applications/${app.id}`);
	assert.equal(
		await row.getByRole('link', { name: `deployment ${deploymentId.slice(0, 8)}` }).getAttribute('href'),
		`/applications/${app.id}/deployments/${deploymentId}`
	);
	assert.match(await row.innerText(), /active/);
	await screenshots(page, 'docker-containers-managed');

	const name = docker('inspect', '-f', '{{.Name}}', container).replace(/^\//, '');
	await row.getByRole('button', { name: `Stop ${name}`, exact: true }).click();
	const notice = page.getByTestId('container-notice');
	await notice.waitFor();
	assert.match(await notice.innerText(), new RegExp(`active container of application .?${app.name}.?: Ployer's reconciler will start it again`));
	await page.locator(`tr[data-state="exited"] a[href="/docker/containers/${container}"]`).first().waitFor();
	// The reconciler starts it again; the list shows it on the next read.
	for (let i = 0; docker('inspect', '-f', '{{.State.Running}}', container) !== 'true'; i++) {
		assert.ok(i < 60, 'the reconciler started it again');
		await new Promise((r) => setTimeout(r, 500));
	}
	await page.getByRole('button', { name: 'Refresh' }).click();
	await page.locator(`tr[data-state="running"] a[href="/docker/containers/${container}"]`).first().waitFor();
	await page.close();
});

test("a container's log resumes after the connection drops, every line once and in order", LONG, async () => {
	// Printed over half a minute or more: the connection is cut while lines still arrive.
	const LINES = 600;
	docker(
		'run', '-d', '--name', names.ticker, IMAGE,
		'sh', '-c', `trap 'exit 0' TERM; i=0; while [ $i -lt ${LINES} ]; do echo tick-$i; sleep 0.05; i=$((i+1)); done; sleep 600 & wait`
	);
	const sockets = [];
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await page.routeWebSocket(/\/graphql\/ws$/, (ws) => {
		sockets.push(ws);
		ws.connectToServer();
	});
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/docker/containers/${names.ticker}`);
	// The view follows the tail: only the rows near the end exist, so any tick will do.
	await page.getByTestId('log-row').filter({ hasText: 'tick-' }).first().waitFor();
	const opened = sockets.length;
	await sockets.at(-1).close({ code: 1001, reason: 'cut by the test' });
	await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
	await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 30_000 });
	assert.ok(sockets.length > opened, 'the page opened a new websocket by itself');
	await page.getByTestId('log-row').filter({ hasText: `tick-${LINES - 1}` }).first().waitFor();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
	const numbers = readFileSync(await download.path(), 'utf8')
		.split('\n')
		.map((line) => /^tick-(\d+)$/.exec(line)?.[1])
		.filter((n) => n !== undefined)
		.map(Number);
	assert.equal(numbers.length, LINES, 'every line once');
	assert.ok(numbers.every((n, i) => n === i), 'in order');
	await page.close();
});

test('a network and a volume are created and removed; one in use is refused naming its container', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signIn(page, ployer.base);

	// Create both through the UI; a second network of the same name is refused at its field.
	await page.goto(`${ployer.base}/docker/networks`);
	await page.getByLabel('Network name').fill(names.network);
	await page.getByRole('button', { name: 'Create network' }).click();
	const networkRow = page.getByTestId(`network-${names.network}`);
	await networkRow.waitFor();
	assert.match(await networkRow.innerText(), /Ployer/);
	assert.equal(docker('network', 'inspect', '-f', '{{index .Labels "ployer.managed"}}', names.network), 'true');
	await page.getByLabel('Network name').fill(names.network);
	await page.getByRole('button', { name: 'Create network' }).click();
	await page.locator('#network-name-error').waitFor();
	assert.match(await page.locator('#network-name-error').innerText(), /already exists/);

	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Volumes' }).click();
	await page.getByLabel('Volume name').fill(names.volume);
	await page.getByRole('button', { name: 'Create volume' }).click();
	const volumeRow = page.getByTestId(`volume-${names.volume}`);
	await volumeRow.waitFor();
	assert.equal(docker('volume', 'inspect', '-f', '{{index .Labels "ployer.managed"}}', names.volume), 'true');

	// From the keyboard: Enter asks, the confirmation takes the focus, Escape takes it back.
	const removeVolume = volumeRow.getByRole('button', { name: `Remove volume ${names.volume}` });
	await removeVolume.focus();
	await page.keyboard.press('Enter');
	const confirmVolume = page.getByRole('group', { name: `Remove ${names.volume} and its data?` });
	await confirmVolume.waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Remove with data');
	await page.keyboard.press('Escape');
	await confirmVolume.waitFor({ state: 'detached' });
	assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Remove volume ${names.volume}`);
	assert.ok(exists('volume', names.volume), 'nothing was removed');

	// A container uses both: removing either is refused, naming it.
	docker('run', '-d', '--name', names.user, '--network', names.network, '-v', `${names.volume}:/data`, IMAGE, 'sleep', '600');
	await page.reload();
	await volumeRow.waitFor();
	assert.match(await volumeRow.innerText(), new RegExp(names.user));
	await volumeRow.getByRole('button', { name: `Remove volume ${names.volume}` }).click();
	await page.getByRole('group', { name: `Remove ${names.volume} and its data?` }).getByRole('button', { name: 'Remove with data' }).click();
	await page.getByTestId('refusal').waitFor();
	assert.equal(await page.getByTestId('refusal').getAttribute('data-code'), 'CONFLICT');
	assert.equal(
		(await page.getByTestId('refusal-message').innerText()).trim(),
		`volume ${names.volume} is in use by container(s) ${names.user}: remove them or detach them first`
	);
	assert.ok(exists('volume', names.volume));
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the volumes page');
	await screenshots(page, 'docker-volumes');
	assert.ok((await narrowWidth(page, 'docker-volumes')) <= 375, 'the volumes page fits 375 px');

	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Networks' }).click();
	await networkRow.waitFor();
	assert.match(await networkRow.innerText(), new RegExp(names.user));
	await networkRow.getByRole('button', { name: `Remove network ${names.network}` }).click();
	await page.getByRole('group', { name: `Remove ${names.network}?` }).getByRole('button', { name: 'Remove' }).click();
	await page.getByTestId('refusal').waitFor();
	assert.equal(
		(await page.getByTestId('refusal-message').innerText()).trim(),
		`network ${names.network} is in use by container(s) ${names.user}: remove them or detach them first`
	);
	assert.ok(exists('network', names.network));
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the networks page');
	await screenshots(page, 'docker-networks');
	assert.ok((await narrowWidth(page, 'docker-networks')) <= 375, 'the networks page fits 375 px');

	// Once the container is gone, both go.
	docker('rm', '-f', names.user);
	await page.reload();
	await networkRow.getByRole('button', { name: `Remove network ${names.network}` }).click();
	await page.getByRole('group', { name: `Remove ${names.network}?` }).getByRole('button', { name: 'Remove' }).click();
	await networkRow.waitFor({ state: 'detached' });
	assert.equal(exists('network', names.network), false);
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Volumes' }).click();
	await volumeRow.getByRole('button', { name: `Remove volume ${names.volume}` }).click();
	await page.getByRole('group', { name: `Remove ${names.volume} and its data?` }).getByRole('button', { name: 'Remove with data' }).click();
	await volumeRow.waitFor({ state: 'detached' });
	assert.equal(exists('volume', names.volume), false);
	await page.close();
});

test('the image prune dry run lists what would go and removes nothing; only the confirmation removes it', LONG, async () => {
	// An unused image only this test has, told apart by its label: other tests share the engine,
	// so this test never prunes without that label.
	execFileSync('docker', ['build', '-q', '-t', names.image, '--label', names.label, '-'], { input: `FROM ${IMAGE}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
	const id = docker('image', 'inspect', '-f', '{{.Id}}', names.image);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/docker/images`);
	const imageRow = page.getByTestId(`image-${id.replace('sha256:', '').slice(0, 12)}`);
	await imageRow.waitFor();
	assert.match(await imageRow.innerText(), /unused/);

	// A label the server refuses is shown at its field.
	await page.getByLabel('Only with the label').fill('a=b c');
	await page.getByRole('button', { name: 'Dry run: show what would go' }).click();
	await page.locator('#prune-image-label-error').waitFor();

	await page.getByLabel('Only with the label').fill(names.label);
	await page.getByRole('button', { name: 'Dry run: show what would go' }).click();
	const wouldGo = page.getByTestId('prune-would-remove');
	await wouldGo.waitFor();
	const listed = await wouldGo.getByRole('listitem').allInnerTexts();
	assert.equal(listed.length, 1, listed.join('\n'));
	assert.ok(listed[0].includes(names.image), listed[0]);
	assert.ok(exists('image', names.image), 'the dry run removed nothing');
	await imageRow.waitFor();
	assert.deepEqual(await axeFindings(page, ['light']), [], 'no serious or critical axe finding on the images page');
	await screenshots(page, 'docker-images-dry-run');
	assert.ok((await narrowWidth(page, 'docker-images')) <= 375, 'the images page fits 375 px');

	// A changed option makes the dry run stale; run again, then confirm.
	await page.getByLabel('Only untagged (dangling) images').check();
	assert.equal(await page.getByTestId('prune-preview').count(), 0, 'the dry run is dropped when an option changes');
	await page.getByLabel('Only untagged (dangling) images').uncheck();
	await page.getByRole('button', { name: 'Dry run: show what would go' }).click();
	await wouldGo.waitFor();
	await page.getByRole('button', { name: 'Remove 1 image' }).click();
	const removed = page.getByTestId('prune-removed');
	await removed.waitFor();
	assert.ok((await removed.innerText()).includes(names.image));
	await imageRow.waitFor({ state: 'detached' });
	assert.equal(exists('image', names.image), false, 'the confirmed prune removed it');
	await page.close();
});

test('unused networks and volumes are pruned only after a dry run that lists them', LONG, async () => {
	// Made with this test's label, which limits every prune here: other tests share the engine.
	docker('network', 'create', '--label', names.label, names.pruned);
	docker('volume', 'create', '--label', names.label, names.pruned);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(60_000);
	await signIn(page, ployer.base);
	for (const [path, kind] of [['/docker/networks', 'network'], ['/docker/volumes', 'volume']]) {
		await page.goto(`${ployer.base}${path}`);
		await page.getByTestId(`${kind}-${names.pruned}`).waitFor();
		await page.getByLabel('Only with the label').fill(names.label);
		await page.getByRole('button', { name: 'Dry run: show what would go' }).click();
		const wouldGo = page.getByTestId('prune-would-remove');
		await wouldGo.waitFor();
		assert.deepEqual(await wouldGo.getByRole('listitem').allInnerTexts(), [names.pruned]);
		assert.ok(exists(kind, names.pruned), `the dry run removed no ${kind}`);
		await screenshots(page, `docker-${kind}s-prune-dry-run`);
		await page.getByRole('button', { name: `Remove 1 ${kind}`, exact: true }).click();
		await page.getByTestId('prune-removed').waitFor();
		assert.deepEqual(await page.getByTestId('prune-removed').getByRole('listitem').allInnerTexts(), [names.pruned]);
		await page.getByTestId(`${kind}-${names.pruned}`).waitFor({ state: 'detached' });
		assert.equal(exists(kind, names.pruned), false, `the confirmed prune removed the ${kind}`);
	}
	await page.close();
});

test('a member opening the Docker pages is told they are not allowed, and nothing is refused', LONG, async () => {
	const created = await graphql(
		ployer.base,
		'mutation($e: String!, $p: String!) { createUser(input: {email: $e, password: $p, role: MEMBER}) { user { id } } }',
		{ e: MEMBER.email, p: MEMBER.password },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const context = await chrome.browser.newContext();
	chrome.watch(context);
	const page = await context.newPage();
	page.setDefaultTimeout(60_000);
	const answers = [];
	page.on('response', async (response) => {
		if (new URL(response.url()).pathname === '/graphql') answers.push(await response.text().catch(() => ''));
	});
	await signIn(page, ployer.base, MEMBER);
	for (const path of ['/docker', '/docker/networks', '/docker/volumes', '/docker/images', `/docker/containers/${'a'.repeat(64)}`]) {
		await page.goto(`${ployer.base}${path}`);
		const notice = page.getByTestId('not-allowed');
		await notice.waitFor();
		assert.match(await notice.innerText(), /not allowed/i);
		assert.equal(await page.getByRole('navigation', { name: 'Sections' }).count(), 0, `no Docker tabs on ${path}`);
		await page.waitForLoadState('networkidle');
	}
	assert.deepEqual(answers.filter((a) => a.includes('FORBIDDEN')), [], 'no request was refused');
	assert.deepEqual(await axeFindings(page, ['light']), []);
	await screenshots(page, 'docker-not-allowed');
	await context.close();
});
