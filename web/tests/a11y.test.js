// Accessibility: an axe-core scan of every page the app has, in light and in dark, against
// the real binary with a deployed application (real Docker, Caddy and git). Any violation
// of impact "serious" or "critical" fails the test; every one found is printed first, with
// the page, the theme, the rule and the elements. A route this build does not have yet is
// scanned as what it renders (SvelteKit's error page, inside the shell) and reported so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { ADMIN, gitRepo, graphql, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 600_000 };
const SERIOUS = new Set(['serious', 'critical']);
let ployer;
let repo;
let chrome;
const appIds = [];

before(async () => {
	ployer = await startPloyer();
	repo = await gitRepo();
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

/** Waits until the page has loaded what it shows: no request in flight, no "Loading…". */
async function settle(page) {
	await page.waitForLoadState('networkidle');
	await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 }).catch(() => {});
	await page.waitForTimeout(150);
}

/** Lesser violations (moderate, minor): printed as notes, they do not fail the test. */
const notes = new Set();

/**
 * Scans what the page shows now in both themes; returns the serious and critical
 * violations, each as printable text.
 */
async function scan(page, label) {
	const found = [];
	for (const scheme of ['light', 'dark']) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.waitForTimeout(100);
		const { violations } = await new AxeBuilder({ page }).analyze();
		for (const v of violations.filter((v) => !SERIOUS.has(v.impact))) {
			notes.add(`${label.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')}: ${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
		}
		for (const v of violations.filter((v) => SERIOUS.has(v.impact))) {
			const nodes = v.nodes
				.slice(0, 6)
				.map((n) => `      ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replaceAll('\n', '\n        ')}`)
				.join('\n');
			found.push(`${label} [${scheme}] ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes}`);
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	return found;
}

/** Opens `path`, waits for it, notes whether it is SvelteKit's error page, then scans. */
async function visit(page, path, name, report) {
	await page.goto(`${ployer.base}${path}`);
	await settle(page);
	const heading = (await page.locator('h1').first().innerText().catch(() => '')).trim();
	if (/^(404|500)\b/.test(heading)) report.missing.push(`${path} (renders "${heading}")`);
	report.scanned.push(path);
	report.violations.push(...(await scan(page, path)));
	if (name) await screenshots(page, `a11y-${name}`);
}

test('every page passes an axe scan in light and dark with no serious or critical violation', LONG, async () => {
	const report = { scanned: [], missing: [], violations: [] };
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);

	// The first run, before any account exists.
	await visit(page, '/setup', null, report);
	const token = await registerAdmin(ployer.base);
	await visit(page, '/login', null, report);
	// The sign-in page showing an error.
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill('wrong password here');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('alert').waitFor();
	report.violations.push(...(await scan(page, '/login (error)')));

	// An application deployed from git, so that every tab has something to show.
	const created = await graphql(
		ployer.base,
		'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
		{ i: { name: `a11y-${repo.marker}`, gitUrl: repo.url, port: 8080 } },
		token
	);
	assert.ok(created.data, JSON.stringify(created));
	const appId = created.data.createApplication.application.id;
	appIds.push(appId);
	const deployed = await graphql(ployer.base, 'mutation($id: ID!) { deploy(input: {applicationId: $id}) { deployment { id } } }', { id: appId }, token);
	const deploymentId = deployed.data.deploy.deployment.id;
	for (let i = 0; ; i++) {
		const { data } = await graphql(ployer.base, `{ application(id: "${appId}") { status } }`, {}, token);
		if (data.application.status === 'RUNNING') break;
		assert.ok(data.application.status !== 'FAILED' && i < 600, `the application did not start: ${data.application.status}`);
		await new Promise((r) => setTimeout(r, 500));
	}
	const servers = await graphql(ployer.base, '{ servers { id } }', {}, token);
	const serverId = servers.data.servers[0].id;
	// The application's container, for the Docker container page (live figures and log).
	const managed = await graphql(ployer.base, '{ containers(managedOnly: true) { id application { id } } }', {}, token);
	const containerId = managed.data.containers.find((c) => c.application?.id === appId)?.id;
	assert.ok(containerId, JSON.stringify(managed));
	// A key in the list, so that its table is scanned too.
	const key = await graphql(ployer.base, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }', { i: { name: 'listed' } }, token);
	assert.ok(key.data, JSON.stringify(key));

	await signIn(page, ployer.base);
	const app = `/applications/${appId}`;
	const pages = [
		['/', 'dashboard'],
		['/applications', 'applications'],
		['/applications/new', 'new-application'],
		[app, 'application'],
		[`${app}/deployments`, 'application-deployments'],
		[`${app}/deployments/${deploymentId}`, 'application-deployment'],
		[`${app}/logs`, 'application-logs'],
		[`${app}/metrics`, 'application-metrics'],
		[`${app}/health`, 'application-health'],
		[`${app}/environment`, 'application-environment'],
		[`${app}/storage`, 'application-storage'],
		[`${app}/domains`, 'application-domains'],
		[`${app}/webhooks`, 'application-webhooks'],
		[`${app}/git`, 'application-git'],
		[`${app}/terminal`, 'application-terminal'],
		[`${app}/settings`, 'application-settings'],
		['/servers', 'servers'],
		[`/servers/${serverId}`, 'server'],
		['/clusters', 'clusters'],
		['/docker', 'docker'],
		[`/docker/containers/${containerId}`, 'docker-container'],
		['/docker/networks', 'docker-networks'],
		['/docker/volumes', 'docker-volumes'],
		['/docker/images', 'docker-images'],
		['/settings', 'settings-account'],
		['/settings/api-keys', 'settings-api-keys'],
		['/settings/users', 'settings-users'],
		['/settings/installation', 'settings-installation'],
		['/graphql', 'playground']
	];
	for (const [path, name] of pages) await visit(page, path, name, report);

	// States that only show after an action: a new API key, a refusal beside a user.
	await page.goto(`${ployer.base}/settings/api-keys`);
	await settle(page);
	await page.getByLabel('Name').fill('scanned');
	await page.getByRole('button', { name: 'Create key' }).click();
	await page.getByTestId('new-key').waitFor();
	report.violations.push(...(await scan(page, '/settings/api-keys (new key shown)')));
	await page.goto(`${ployer.base}/settings/users`);
	await settle(page);
	await page.getByLabel(`Role of ${ADMIN.email}`).selectOption('VIEWER');
	await page.getByRole('button', { name: 'Save role' }).click();
	await page.getByTestId('user-error').waitFor();
	report.violations.push(...(await scan(page, '/settings/users (refusal shown)')));

	// What a member sees where they may not go.
	await graphql(
		ployer.base,
		'mutation { createUser(input: {email: "scanned@example.com", password: "tangerine horse battery", role: MEMBER}) { user { id } } }',
		{},
		token
	);
	const member = await chrome.browser.newContext({ viewport: { width: 1280, height: 860 } });
	const memberPage = await member.newPage();
	await signIn(memberPage, ployer.base, { email: 'scanned@example.com', password: 'tangerine horse battery' });
	await visit(memberPage, '/settings/users', 'not-allowed', report);
	// The narrow layout, with its menu open.
	await memberPage.setViewportSize({ width: 375, height: 800 });
	await memberPage.goto(`${ployer.base}/applications/${appId}`);
	await settle(memberPage);
	await memberPage.getByRole('button', { name: 'Menu' }).click();
	report.violations.push(...(await scan(memberPage, `${app} (375 px, menu open)`)));
	await member.close();

	console.log(`scanned ${report.scanned.length} pages in light and dark: ${report.scanned.join(', ')}`);
	if (report.missing.length) console.log(`not in this build yet (their error page was scanned): ${report.missing.join(', ')}`);
	if (notes.size) console.log(`lesser findings (not failing):\n  ${[...notes].join('\n  ')}`);
	if (report.violations.length) console.log(`serious or critical violations:\n${report.violations.join('\n')}`);
	assert.deepEqual(report.violations, [], `${report.violations.length} serious or critical accessibility violation(s); see above`);
	assert.deepEqual(chrome.cspErrors(), []);
});
