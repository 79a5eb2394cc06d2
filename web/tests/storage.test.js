// Persistent storage in the browser, against the real binary and dockerd: a volume mounted
// from the Storage tab and listed, a refused container path and volume name shown at their
// fields, one path mounted twice refused, read-only toggled and the mount removed after a
// confirmation that says the data stays; an admin allows a host directory in the settings
// (a system directory refused at the field) and mounts a directory under it, which a member
// is not offered; stop-first chosen in the application's settings and kept; an application
// deleted with its volumes kept, which Docker → Volumes then tags orphaned, and one deleted
// with them, which takes them off the engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
	axeFindings,
	deployRunning,
	gitRepo,
	graphql,
	launch,
	registerAdmin,
	removeDockerObjects,
	screenshots,
	signIn,
	startPloyer
} from './harness.js';

const LONG = { timeout: 240_000 };
const x = Math.random().toString(36).slice(2, 8);

let ployer;
let chrome;
let token;
let repo;
/** A host directory the admin allows mounts under (outside Ployer's data directory). */
let hostRoot;
const appIds = [];
const volumes = [];

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	chrome = await launch();
	hostRoot = realpathSync(mkdtempSync(join(tmpdir(), 'ployer-web-mounts-')));
	mkdirSync(join(hostRoot, 'uploads'));
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
	for (const name of volumes) {
		try {
			execFileSync('docker', ['volume', 'rm', '-f', name], { stdio: 'ignore' });
		} catch {
			// best effort
		}
	}
	if (hostRoot) rmSync(hostRoot, { recursive: true, force: true });
});

async function api(query, variables = {}, as = token) {
	const result = await graphql(ployer.base, query, variables, as);
	assert.ok(result.data, JSON.stringify(result));
	return result.data;
}

async function createApp(input) {
	const { createApplication } = await api('mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id name } } }', {
		i: input
	});
	appIds.push(createApplication.application.id);
	return createApplication.application;
}

const imageApp = (name) => createApp({ name, buildStrategy: 'IMAGE', image: 'ployer-test/busybox:latest', port: 8080 });

async function mounts(appId) {
	return (await api('query($id: ID!) { application(id: $id) { mounts { kind volume volumeName hostPath containerPath readOnly } } }', { id: appId }))
		.application.mounts;
}

/** An application's tab, by its name. */
function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

/** The error shown at a form field, by the field's id. */
const errorAt = (page, id) => page.locator(`#${id}-error`);

test('a volume is mounted and listed, bad input is refused at its field, read-only is toggled and the mount removed', LONG, async () => {
	const app = await imageApp(`store-${x}`);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${app.id}`);
	await tab(page, 'Storage').click();
	await page.waitForURL(`**/applications/${app.id}/storage`);
	await page.getByTestId('empty').waitFor();
	const notes = page.getByTestId('storage-notes');
	assert.match(await notes.innerText(), /next deployment/);
	assert.match(await notes.innerText(), /both mount a volume at once/);
	assert.equal(await notes.getByRole('link', { name: 'Settings' }).getAttribute('href'), `/applications/${app.id}/settings`);

	// `/` and a bad volume name are refused, each at its own field.
	await page.getByLabel('Volume', { exact: true }).fill('data');
	await page.getByLabel('Container path', { exact: true }).fill('/');
	await page.getByRole('button', { name: 'Add mount' }).click();
	await errorAt(page, 'mount-container-path').filter({ hasText: 'cannot be `/`' }).waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'mount-container-path', 'the refused field has the focus');
	assert.equal(await errorAt(page, 'mount-volume').count(), 0);
	await screenshots(page, 'storage-refused');
	await page.getByLabel('Volume', { exact: true }).fill('Not A Name');
	await page.getByLabel('Container path', { exact: true }).fill('/data');
	await page.getByRole('button', { name: 'Add mount' }).click();
	await errorAt(page, 'mount-volume').filter({ hasText: 'lower-case letters' }).waitFor();
	assert.equal(await errorAt(page, 'mount-container-path').count(), 0, 'the earlier error went');
	assert.deepEqual(await mounts(app.id), [], 'nothing was mounted');

	// A good one is listed with its engine name.
	await page.getByLabel('Volume', { exact: true }).fill('data');
	await page.getByRole('button', { name: 'Add mount' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'data mounted at /data' }).waitFor();
	const row = page.getByTestId('mount-/data');
	await row.waitFor();
	assert.match(await row.innerText(), new RegExp(`data\\s+volume[\\s\\S]*ployer-store-${x}-data`));
	assert.equal(await row.getByTestId('mount-size').innerText(), 'unknown', 'a volume no container made yet has no size');
	assert.equal(await page.getByLabel('Volume', { exact: true }).inputValue(), '', 'the form is cleared');
	assert.deepEqual(await mounts(app.id), [
		{ kind: 'VOLUME', volume: 'data', volumeName: `ployer-store-${x}-data`, hostPath: null, containerPath: '/data', readOnly: false }
	]);

	// The same container path again is refused at the field.
	await page.getByLabel('Volume', { exact: true }).fill('other');
	await page.getByLabel('Container path', { exact: true }).fill('/data');
	await page.getByRole('button', { name: 'Add mount' }).click();
	await errorAt(page, 'mount-container-path').filter({ hasText: 'already mounts something at /data' }).waitFor();
	assert.equal((await mounts(app.id)).length, 1);

	// Read-only on, kept across a reload, and off again.
	const readOnly = row.getByLabel('/data read-only');
	assert.equal(await readOnly.isChecked(), false);
	await readOnly.check();
	await page.getByTestId('toast-success').filter({ hasText: '/data is read-only from the next deployment' }).waitFor();
	assert.equal((await mounts(app.id))[0].readOnly, true);
	await page.reload();
	await page.getByTestId('mount-/data').getByLabel('/data read-only').waitFor();
	assert.equal(await page.getByTestId('mount-/data').getByLabel('/data read-only').isChecked(), true, 'read-only is kept');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the storage tab');
	await screenshots(page, 'storage-volume');
	// Usable at 375 px: the table scrolls inside its card.
	await page.setViewportSize({ width: 375, height: 800 });
	await screenshots(page, 'storage-volume-375');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 375, `no horizontal scrolling at 375 px (page is ${width} px wide)`);
	await page.setViewportSize({ width: 1280, height: 860 });
	await page.getByTestId('mount-/data').getByLabel('/data read-only').uncheck();
	await page.getByTestId('toast-success').filter({ hasText: '/data is writable' }).waitFor();
	assert.equal((await mounts(app.id))[0].readOnly, false);

	// Removal asks first, saying the data stays; Cancel keeps the mount.
	const remove = page.getByTestId('mount-/data').getByRole('button', { name: 'Remove the mount at /data' });
	await remove.click();
	const question = page.getByRole('group', { name: /^Stop mounting data\?/ });
	assert.match(await question.innerText(), /Its data stays on the engine until an admin removes the volume/);
	await screenshots(page, 'storage-remove-confirm');
	await question.getByRole('button', { name: 'Cancel' }).click();
	assert.equal((await mounts(app.id)).length, 1);
	await remove.click();
	await page.getByRole('group', { name: /^Stop mounting data\?/ }).getByRole('button', { name: 'Remove mount' }).click();
	await page.getByTestId('toast-success').filter({ hasText: `volume ployer-store-${x}-data keeps its data` }).waitFor();
	await page.getByTestId('empty').waitFor();
	assert.deepEqual(await mounts(app.id), []);
	assert.deepEqual(chrome.cspErrors(), []);
	await page.close();
});

test('an admin allows a host directory in the settings and mounts one under it; a member is offered volumes only', LONG, async () => {
	const app = await imageApp(`host-${x}`);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);

	// A system directory is refused at the field; nothing is stored.
	await page.goto(`${ployer.base}/settings/installation`);
	const paths = page.getByLabel('Host directories applications may mount');
	await paths.waitFor();
	assert.equal(await paths.inputValue(), '');
	await paths.fill(`${hostRoot}\n/etc`);
	await page.getByRole('button', { name: 'Save' }).click();
	await errorAt(page, 'bind-paths').filter({ hasText: '/etc overlaps /etc' }).waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'bind-paths');
	await screenshots(page, 'storage-settings-refused');
	assert.deepEqual((await api('{ settings { allowedBindPaths } }')).settings.allowedBindPaths, []);

	// One directory per line; blank lines are ignored.
	await paths.fill(`\n${hostRoot}\n\n`);
	await page.getByRole('button', { name: 'Save' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).waitFor();
	assert.equal(await errorAt(page, 'bind-paths').count(), 0);
	assert.deepEqual((await api('{ settings { allowedBindPaths } }')).settings.allowedBindPaths, [hostRoot]);
	await page.reload();
	await page.getByLabel('Host directories applications may mount').waitFor();
	assert.equal(await page.getByLabel('Host directories applications may mount').inputValue(), hostRoot);
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the installation settings');
	await screenshots(page, 'storage-settings');

	// The host directory, read-only, at /uploads.
	await page.goto(`${ployer.base}/applications/${app.id}/storage`);
	await page.getByTestId('empty').waitFor();
	await page.getByLabel('A host directory').check();
	const hostPath = page.getByLabel('Host directory', { exact: true });
	await hostPath.waitFor();
	await page.getByText(`Inside ${hostRoot}.`).waitFor();
	await hostPath.fill('/srv/elsewhere');
	await page.getByLabel('Container path', { exact: true }).fill('/uploads');
	await page.getByRole('button', { name: 'Add mount' }).click();
	await errorAt(page, 'mount-host-path').filter({ hasText: '/srv/elsewhere' }).waitFor();
	await hostPath.fill(join(hostRoot, 'uploads'));
	await page.getByLabel(/Read-only: the application/).check();
	await page.getByRole('button', { name: 'Add mount' }).click();
	const row = page.getByTestId('mount-/uploads');
	await row.waitFor();
	assert.match(await row.innerText(), new RegExp(`${join(hostRoot, 'uploads')}\\s+host directory`));
	assert.equal(await row.getByLabel('/uploads read-only').isChecked(), true);
	assert.deepEqual(await mounts(app.id), [
		{ kind: 'BIND', volume: null, volumeName: null, hostPath: join(hostRoot, 'uploads'), containerPath: '/uploads', readOnly: true }
	]);
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding with a host directory listed');
	await screenshots(page, 'storage-host');
	await row.getByRole('button', { name: 'Remove the mount at /uploads' }).click();
	assert.match(
		await page.getByRole('group', { name: /^Stop mounting / }).innerText(),
		/The directory is left as it is/,
		'a host directory is not said to be removed'
	);
	await page.close();

	// A member sees the list and adds volumes, but is not offered host directories.
	await api('mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', {
		i: { email: `member-${x}@example.com`, password: 'tangerine horse battery', role: 'MEMBER' }
	});
	const member = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	chrome.watch(member);
	const memberPage = await member.newPage();
	await signIn(memberPage, ployer.base, { email: `member-${x}@example.com`, password: 'tangerine horse battery' });
	await memberPage.goto(`${ployer.base}/applications/${app.id}/storage`);
	await memberPage.getByTestId('mount-/uploads').waitFor();
	await memberPage.getByLabel('Volume', { exact: true }).waitFor();
	assert.equal(await memberPage.getByLabel('A host directory').count(), 0, 'no host directory choice for a member');
	assert.equal(await memberPage.getByLabel('Host directory', { exact: true }).count(), 0);
	await member.close();
});

test('stop-first is chosen in the application settings and kept; the storage tab says so', LONG, async () => {
	const app = await imageApp(`order-${x}`);
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${app.id}/settings`);
	const startFirst = page.getByLabel(/Start first/);
	await startFirst.waitFor();
	assert.equal(await startFirst.isChecked(), true, 'start-first is the default');
	await page.getByLabel(/Stop first/).check();
	await page.getByRole('button', { name: 'Save settings' }).click();
	await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).waitFor();
	const stored = await api('query($id: ID!) { application(id: $id) { cutoverOrder } }', { id: app.id });
	assert.equal(stored.application.cutoverOrder, 'STOP_FIRST');

	await page.reload();
	await page.getByLabel(/Stop first/).waitFor();
	assert.equal(await page.getByLabel(/Stop first/).isChecked(), true, 'stop-first is kept');
	assert.equal(await page.getByLabel(/Start first/).isChecked(), false);
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the application settings');
	await screenshots(page, 'storage-cutover-order');

	await tab(page, 'Storage').click();
	await page.getByTestId('storage-notes').filter({ hasText: 'this application stops the old version first' }).waitFor();
	await page.close();
});

test('an application deleted with its volumes kept leaves them on the engine, tagged orphaned', LONG, async () => {
	repo ??= await gitRepo();
	const app = await createApp({ name: `gone-${x}`, gitUrl: repo.url, port: 8080 });
	const volume = `ployer-gone-${x}-keep`;
	volumes.push(volume);
	await api('mutation($i: AddMountInput!) { addMount(input: $i) { mount { id } } }', {
		i: { applicationId: app.id, volume: 'keep', containerPath: '/keep' }
	});
	await deployRunning(ployer.base, token, app.id);

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${app.id}/storage`);
	const size = page.getByTestId('mount-/keep').getByTestId('mount-size');
	await size.waitFor();
	assert.match(await size.innerText(), /^\d+(\.\d)? (B|KiB|MiB)$/, 'the engine reports the size of a volume in use');

	await tab(page, 'Overview').click();
	const removeVolumes = page.getByLabel('Also remove its volumes (their data is lost)');
	await removeVolumes.waitFor();
	assert.equal(await removeVolumes.isChecked(), false, 'volumes are kept unless asked');
	await page.getByText('listed as orphaned under').waitFor();
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the overview with the delete form');
	await screenshots(page, 'storage-delete');
	await page.getByLabel('Application name').fill(app.name);
	await page.getByRole('button', { name: 'Delete application' }).click();
	await page.waitForURL(`${ployer.base}/applications`);
	await page.getByTestId('toast-success').filter({ hasText: `Application ${app.name} deleted` }).waitFor();

	const labels = JSON.parse(execFileSync('docker', ['volume', 'inspect', '-f', '{{json .Labels}}', volume], { encoding: 'utf8' }));
	assert.equal(labels['ployer.app'], app.id, 'the volume is still on the engine');

	await page.goto(`${ployer.base}/docker/volumes`);
	const row = page.getByTestId(`volume-${volume}`);
	await row.waitFor();
	await row.getByTestId('orphaned').waitFor();
	const fresh = (await api('{ volumes { name orphaned } }')).volumes.filter((v) => v.name === volume);
	assert.deepEqual(fresh, [{ name: volume, orphaned: true }]);
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the volumes with an orphan');
	await screenshots(page, 'storage-orphaned');
	assert.deepEqual(chrome.cspErrors(), []);
	await page.close();
});

test('an application deleted with "also remove its volumes" takes them off the engine', LONG, async () => {
	repo ??= await gitRepo();
	const app = await createApp({ name: `purge-${x}`, gitUrl: repo.url, port: 8080 });
	const volume = `ployer-purge-${x}-scratch`;
	volumes.push(volume);
	await api('mutation($i: AddMountInput!) { addMount(input: $i) { mount { id } } }', {
		i: { applicationId: app.id, volume: 'scratch', containerPath: '/scratch' }
	});
	await deployRunning(ployer.base, token, app.id);
	const inspect = () => {
		try {
			execFileSync('docker', ['volume', 'inspect', volume], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	};
	assert.ok(inspect(), 'the deployment made the volume');

	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/${app.id}`);
	await page.getByLabel('Also remove its volumes (their data is lost)').check();
	await page.getByText('Its named volumes are removed with their data').waitFor();
	await page.getByLabel('Application name').fill(app.name);
	await page.getByRole('button', { name: 'Delete application' }).click();
	await page.waitForURL(`${ployer.base}/applications`);
	await page.getByTestId('toast-success').filter({ hasText: `Application ${app.name} deleted` }).waitFor();
	assert.equal(inspect(), false, 'the volume went with the application');
	await page.close();
});
