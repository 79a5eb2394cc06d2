// Static sites in the browser, against the real binary, git and Caddy: the new-application
// form offers the static build with its own fields, refuses an output directory outside the
// repository at its field, creates the site; its settings keep the static fields; once
// deployed, Caddy serves its files with no container, the single-page fallback included.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { axeFindings, deployRunning, gitRepo, launch, registerAdmin, removeDockerObjects, screenshots, signIn, startPloyer } from './harness.js';

const LONG = { timeout: 240_000 };
const x = Math.random().toString(36).slice(2, 8);

let ployer;
let chrome;
let token;
let repo;
const appIds = [];

before(async () => {
	ployer = await startPloyer();
	token = await registerAdmin(ployer.base);
	chrome = await launch();
	repo = await gitRepo();
});

after(async () => {
	await chrome?.close();
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

test('a static site is created from the form, keeps its settings and is served by Caddy without a container', LONG, async () => {
	const page = await chrome.context.newPage();
	page.setDefaultTimeout(30_000);
	await signIn(page, ployer.base);
	await page.goto(`${ployer.base}/applications/new`);
	const name = `site-${x}`;
	await page.locator('#app-name').fill(name);
	await page.locator('#app-buildStrategy').selectOption('STATIC');
	await page.locator('#app-gitUrl').fill(repo.url);
	assert.equal(await page.locator('#app-dockerfilePath').count(), 0, 'no Dockerfile for a static site');
	await page.locator('#app-staticOutputDir').fill('../outside');
	await page.locator('#app-spaFallback').check();
	assert.deepEqual(await axeFindings(page), [], 'no serious or critical axe finding on the static form');
	await page.getByRole('button', { name: /Create/ }).click();
	await page.locator('#app-staticOutputDir-error').waitFor();
	await screenshots(page, 'static-site-refused-output');

	await page.locator('#app-staticOutputDir').fill('www');
	await page.getByRole('button', { name: /Create/ }).click();
	await page.getByRole('link', { name: 'Open the application' }).click();
	await page.waitForURL(/\/applications\/[0-9a-f-]{36}/);
	const id = page.url().match(/applications\/([0-9a-f-]{36})/)[1];
	appIds.push(id);

	await page.goto(`${ployer.base}/applications/${id}/settings`);
	await page.locator('#app-staticOutputDir').waitFor();
	assert.equal(await page.locator('#app-staticOutputDir').inputValue(), 'www');
	assert.equal(await page.locator('#app-spaFallback').isChecked(), true);
	assert.equal(await page.locator('#app-buildStrategy').inputValue(), 'STATIC');
	await screenshots(page, 'static-site-settings');

	await deployRunning(ployer.base, token, id);
	const host = `${name}.localhost`;
	assert.deepEqual(await throughCaddy(host, '/'), { status: 200, body: 'version v1\n' });
	assert.deepEqual(await throughCaddy(host, '/deep/link'), { status: 200, body: 'version v1\n' }, 'the single-page fallback');
	const containers = execFileSync('docker', ['ps', '-aq', '--filter', `label=ployer.app=${id}`], { encoding: 'utf8' }).trim();
	assert.equal(containers, '', 'no container runs for a static site');
	await page.goto(`${ployer.base}/applications/${id}`);
	await page.getByTestId('app-url').waitFor();
	const sections = await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allInnerTexts();
	assert.deepEqual(sections, ['Overview', 'Deployments', 'Environment', 'Domains', 'Webhooks', 'Git', 'Settings'], 'no container tabs for a site without a container');
	await screenshots(page, 'static-site-overview');
	await page.close();
});
