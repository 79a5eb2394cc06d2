// Docker Compose applications in the browser, against the real binary, git, dockerd and
// Caddy: the new-application form offers the Compose build with its own fields and refuses a
// compose file outside the repository at its field; once deployed, the overview lists the
// services in start order with their state and health (db healthy, web receiving the
// domains), the Logs tab switches between the services' logs, and a domain added for db is
// listed with its service and served by it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
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

const LONG = { timeout: 300_000 };
const x = Math.random().toString(36).slice(2, 8);

let ployer;
let chrome;
let token;
let repo;
const appIds = [];

/** web is built from the repository's Dockerfile and waits for db to report healthy. */
const composeFile = (marker) => `services:
  web:
    build: .
    ports: ["8080"]
    depends_on: {db: {condition: service_healthy}}
  db:
    image: ployer-test/busybox:latest
    expose: ["9000"]
    command: ["sh", "-c", "mkdir -p /srv && echo db-ok > /srv/value && echo db-says-${marker} && touch /tmp/ready; trap 'exit 0' TERM; httpd -f -p 9000 -h /srv & wait"]
    healthcheck: {test: ["CMD-SHELL", "test -f /tmp/ready"], interval: 1s, retries: 30}
`;

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	chrome = await launch();
	repo = await gitRepo();
	writeFileSync(join(repo.workDir, 'docker-compose.yml'), composeFile(repo.marker));
	repo.commit('v1 with compose');
});

after(async () => {
	await chrome?.close();
	// Deleting the application takes its containers, network and images off the engine;
	// what is left (a failed test) goes by label.
	for (const id of appIds) {
		await graphql(ployer.base, 'mutation($id: ID!) { deleteApplication(input: {id: $id, removeVolumes: true}) { deletedApplicationId } }', { id }, token).catch(
			() => {}
		);
	}
	await ployer?.stop();
	repo?.stop();
	removeDockerObjects(appIds);
});

/** GET through Caddy for `host` (fetch cannot set Host; node:http can). */
function throughCaddy(host, path) {
	return new Promise((resolve, reject) => {
		const request = http.get({ host: '127.0.0.1', port: ployer.proxyPort, path, headers: { host } }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolve({ status: response.statusCode, body }));
		});
		request.on('error', reject);
	});
}

/** Retries `check` until it passes or `ms` are over (Caddy applies a route shortly after). */
async function eventually(check, ms = 15_000) {
	const until = Date.now() + ms;
	for (;;) {
		try {
			return await check();
		} catch (e) {
			if (Date.now() > until) throw e;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/** An application's tab, by its name. */
function tab(page, name) {
	return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

test('a compose application is created from the form, lists its services, switches logs and routes a domain to a service', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);

	// The form: Compose has its own fields and none of the Dockerfile's.
	await page.goto(`${ployer.base}/applications/new`);
	const name = `stack-${x}`;
	await page.locator('#app-name').fill(name);
	await page.locator('#app-buildStrategy').selectOption('COMPOSE');
	await page.locator('#app-gitUrl').fill(repo.url);
	assert.equal(await page.locator('#app-dockerfilePath').count(), 0, 'no Dockerfile field for a compose application');
	assert.equal(await page.locator('#app-buildContext').count(), 0, 'no build context field for a compose application');
	assert.equal(await page.locator('#app-image').count(), 0, 'no image field for a compose application');
	assert.equal(await page.locator('#app-staticOutputDir').count(), 0, 'no static field for a compose application');
	assert.equal(await page.locator('#app-composePath').inputValue(), 'docker-compose.yml', 'the default compose file');
	assert.equal(await page.locator('#app-composeService').inputValue(), '', 'no routed service named by default');
	await page.getByTestId('compose-note').waitFor();

	// A compose file checked before creating: its services in start order, or the refusal.
	await page.getByText('Check a compose file before deploying').click();
	await page.locator('#compose-check-content').fill(composeFile(repo.marker));
	await page.getByRole('button', { name: 'Check compose file' }).click();
	const plan = page.getByTestId('compose-plan');
	await plan.waitFor();
	assert.deepEqual(await plan.locator('ol > li').evaluateAll((items) => items.map((i) => i.dataset.testid)), ['planned-db', 'planned-web']);
	assert.match(await plan.getByTestId('planned-web').innerText(), /receives the domains.*built from \..*port 8080.*waits for db to be healthy/s);
	assert.match(await plan.getByTestId('planned-db').innerText(), /image ployer-test\/busybox:latest.*port 9000.*health check/s);
	await screenshots(page, 'compose-check');
	await page.locator('#compose-check-content').fill(composeFile(repo.marker).replace('    build: .\n', '    build: .\n    privileged: true\n'));
	await page.getByRole('button', { name: 'Check compose file' }).click();
	await page.getByTestId('compose-check-error').filter({ hasText: 'services.web.privileged' }).waitFor();
	assert.equal(await plan.count(), 0, 'the refusal replaces the plan');

	// A compose file outside the repository is refused at its field.
	await page.locator('#app-composePath').fill('../x.yml');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the compose form');
	await page.getByRole('button', { name: /Create/ }).click();
	await page.locator('#app-composePath-error').waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'app-composePath', 'the refused field has the focus');
	assert.equal(await page.getByTestId('form-error').count(), 0, 'the error is at its field, not above the buttons');
	await screenshots(page, 'compose-refused-path');

	await page.locator('#app-composePath').fill('docker-compose.yml');
	await page.getByRole('button', { name: /Create/ }).click();
	await page.getByRole('link', { name: 'Open the application' }).click();
	await page.waitForURL(/\/applications\/[0-9a-f-]{36}/);
	const id = page.url().match(/applications\/([0-9a-f-]{36})/)[1];
	appIds.push(id);

	// Before the first deployment: no service yet.
	await page.getByTestId('no-services').waitFor();

	// The settings keep the compose fields.
	await tab(page, 'Settings').click();
	await page.locator('#app-composePath').waitFor();
	assert.equal(await page.locator('#app-buildStrategy').inputValue(), 'COMPOSE');
	assert.equal(await page.locator('#app-composePath').inputValue(), 'docker-compose.yml');
	assert.equal(await page.locator('#app-dockerfilePath').count(), 0);
	// A routed service that cannot be a service's name is refused at its field.
	await page.locator('#app-composeService').fill('Not A Service');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await page.locator('#app-composeService-error').waitFor();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'app-composeService');
	await screenshots(page, 'compose-settings');

	await deployRunning(ployer.base, token, id, { timeoutMs: 200_000 });

	// The overview: db first (web waits for it), healthy; web last, receiving the domains.
	await tab(page, 'Overview').click();
	const services = page.getByTestId('compose-services');
	const db = services.getByTestId('service-db');
	const web = services.getByTestId('service-web');
	await db.getByTestId('service-health').getByText('healthy').waitFor();
	await web.getByTestId('service-state').getByText('running').waitFor();
	assert.deepEqual(
		await services.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.testid)),
		['service-db', 'service-web'],
		'in start order, the routed service last'
	);
	assert.equal(await db.getByTestId('service-state').innerText(), 'running');
	assert.equal(await web.getByTestId('routed').count(), 1, 'web receives the domains');
	assert.equal(await db.getByTestId('routed').count(), 0);
	assert.match(await db.innerText(), /ployer-test\/busybox:latest/, 'db shows its image');
	assert.match(await web.innerText(), new RegExp(`ployer-${name}-web-`), 'web shows its container name');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the services');
	await screenshots(page, 'compose-overview');

	// Logs: db's link opens its log; the selector lists both and switches back to web.
	await db.getByRole('link', { name: 'Logs of db' }).click();
	await page.waitForURL(`**/applications/${id}/logs?service=db`);
	const picker = page.locator('#log-service');
	await picker.waitFor();
	assert.deepEqual(await picker.locator('option').evaluateAll((options) => options.map((o) => o.value)), ['db', 'web']);
	assert.equal(await picker.inputValue(), 'db');
	const log = page.getByTestId('log-viewport');
	await log.getByText(`db-says-${repo.marker}`).waitFor();
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the service logs');
	await screenshots(page, 'compose-logs-db');
	await picker.selectOption('web');
	await page.waitForURL(`**/applications/${id}/logs`);
	await page.waitForFunction((marker) => !document.querySelector('[data-testid="log-viewport"]')?.textContent?.includes(`db-says-${marker}`), repo.marker);
	assert.equal(await picker.inputValue(), 'web');
	await picker.selectOption('db');
	await page.waitForURL(`**/applications/${id}/logs?service=db`);
	await log.getByText(`db-says-${repo.marker}`).waitFor();

	// Domains: one for db, listed with its service, served by db through Caddy.
	await tab(page, 'Domains').click();
	const serviceField = page.locator('#domain-service');
	await serviceField.waitFor();
	assert.deepEqual(await serviceField.locator('option').evaluateAll((options) => options.map((o) => o.value)), ['', 'db']);
	assert.equal(await serviceField.locator('option').first().innerText(), 'web (receives the domains)', 'the default names the routed service');
	const auto = page.getByTestId(`domain-${name}.localhost`);
	assert.match(await auto.getByTestId('domain-service').innerText(), /web/, 'the automatic domain goes to the routed service');
	const dbHost = `db.${name}.localhost`;
	await page.locator('#domain-hostname').fill(dbHost);
	await serviceField.selectOption('db');
	await page.getByRole('button', { name: 'Add domain' }).click();
	const row = page.getByTestId(`domain-${dbHost}`);
	await row.waitFor();
	assert.equal((await row.getByTestId('domain-service').innerText()).trim(), 'db');
	assert.equal(await serviceField.inputValue(), '', 'the form is back to the routed service');
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the compose domains');
	await screenshots(page, 'compose-domains');
	await eventually(async () => assert.deepEqual(await throughCaddy(dbHost, '/value'), { status: 200, body: 'db-ok\n' }));
	await eventually(async () => assert.deepEqual(await throughCaddy(`${name}.localhost`, '/'), { status: 200, body: 'version v1 with compose\n' }));
	await page.close();
});
