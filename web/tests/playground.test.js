// The playground: GraphiQL from the binary itself, signed in with the session, running a
// query and a subscription, with no request to any other host.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql, launch, registerAdmin, screenshots, signIn, startPloyer } from './harness.js';

let ployer;
let chrome;
let serverId;

before(async () => {
	ployer = await startPloyer();
	const token = await registerAdmin(ployer.base);
	serverId = (await graphql(ployer.base, '{ servers { id isLocal } }', {}, token)).data.servers.find((s) => s.isLocal).id;
	chrome = await launch();
});

after(async () => {
	await chrome?.close();
	await ployer?.stop();
});

async function run(page, query) {
	await page.evaluate((text) => {
		const editor = document.querySelector('.graphiql-query-editor .CodeMirror');
		editor.CodeMirror.setValue(text);
	}, query);
	await page.locator('.graphiql-execute-button').click();
}

function response(page) {
	return page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '');
}

test('the playground runs a query and a subscription as the signed-in user', async () => {
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	// Browsers asking for /graphql get the playground.
	await page.goto(`${ployer.base}/graphql`);
	await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });

	await run(page, '{ me { email } }');
	await page.waitForFunction(
		() => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue().includes('admin@example.com'),
		null,
		{ timeout: 15_000 }
	);
	assert.match(await response(page), /"email": "admin@example.com"/);

	await page.waitForTimeout(500);
	await run(page, `subscription { serverStats(serverId: "${serverId}", intervalSeconds: 1) { cpuCount memoryTotalBytes } }`);
	await page.waitForFunction(
		() => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue().includes('cpuCount'),
		null,
		{ timeout: 15_000 }
	).catch(async (error) => {
		throw new Error(`${error.message}; response: ${await response(page)}; console: ${chrome.console.join(' | ')}`);
	});
	assert.match(await response(page), /"memoryTotalBytes": \d+/);
	await screenshots(page, 'playground-subscription');

	// The docs explorer reads the schema by introspection (within the server's depth limit).
	await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
	const docs = page.locator('.graphiql-doc-explorer');
	await docs.getByText('Query', { exact: true }).first().waitFor({ timeout: 15_000 });
	await docs.getByText('Query', { exact: true }).first().click();
	await docs.getByText('applications', { exact: true }).first().waitFor({ timeout: 15_000 });
	await screenshots(page, 'playground-docs');

	assert.deepEqual(chrome.offLoopback(), []);
	assert.deepEqual(chrome.cspErrors(), []);
});
