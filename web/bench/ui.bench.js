// Prints the web UI's figures; asserts nothing. Run by scripts/bench-web.sh.
//  1. JavaScript the first page loads (app shell and dashboard; the playground excluded),
//     as transferred gzipped.
//  2. A build printing 100,000 lines followed live in the browser: whether every line
//     arrived once and in order, the most DOM rows the log viewer held, and how long the page
//     takes to show a scroll at the end.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitRepo, graphql, launch, registerAdmin, removeDockerObjects, signIn, startPloyer } from '../tests/harness.js';

const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const ployer = await startPloyer();
const repo = await gitRepo();
const token = await registerAdmin(ployer.base);
const chrome = await launch();
const appIds = [];
try {
	// 1. The first page's JavaScript.
	const page = await chrome.context.newPage();
	await signIn(page, ployer.base);
	const context2 = await chrome.browser.newContext({ storageState: await chrome.context.storageState() });
	const fresh = await context2.newPage();
	const scripts = new Map();
	fresh.on('response', async (res) => {
		if (res.request().resourceType() !== 'script') return;
		const sizes = await res.request().sizes();
		scripts.set(res.url(), sizes.responseBodySize);
	});
	await fresh.goto(`${ployer.base}/`, { waitUntil: 'networkidle' });
	const total = [...scripts.values()].reduce((a, b) => a + b, 0);
	console.log(`first page JavaScript (dashboard, signed in): ${kb(total)} gzipped in ${scripts.size} files (target ≤ 80 KB)`);
	await fresh.goto(`${ployer.base}/graphql`, { waitUntil: 'networkidle' });
	const withPlayground = [...scripts.values()].reduce((a, b) => a + b, 0);
	console.log(`  the playground adds ${kb(withPlayground - total)} gzipped, loaded only on its page`);
	await context2.close();

	// 2. A 100,000-line build log, live.
	const work = mkdtempSync(join(tmpdir(), 'ployer-bench-'));
	const dockerfile = readFileSync(join(repo.workDir, 'Dockerfile'), 'utf8').replace(
		/RUN echo build-step-one[^\n]*\n/,
		`RUN i=0; while [ $i -lt ${LINES} ]; do echo chatty-$i; i=$((i+1)); done\n`
	);
	writeFileSync(join(repo.workDir, 'Dockerfile'), dockerfile);
	repo.commit('chatty');
	const created = await graphql(
		ployer.base,
		`mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }`,
		{ i: { name: `bench-${repo.marker}`, gitUrl: repo.url, port: 8080 } },
		token
	);
	const appId = created.data.createApplication.application.id;
	appIds.push(appId);
	// For scripts/bench-web.sh to remove what it left should this process be killed.
	if (process.env.BENCH_APP_IDS_FILE) appendFileSync(process.env.BENCH_APP_IDS_FILE, `${appId}\n`);
	const deployed = await graphql(
		ployer.base,
		`mutation($id: ID!) { deploy(input: {applicationId: $id}) { deployment { id } } }`,
		{ id: appId },
		token
	);
	const deploymentId = deployed.data.deploy.deployment.id;
	await page.goto(`${ployer.base}/applications/${appId}/deployments/${deploymentId}`);
	await page.getByTestId('log-viewport').waitFor();
	// Sample the DOM rows while the lines stream in.
	await page.evaluate(() => {
		window.maxRows = 0;
		setInterval(() => {
			window.maxRows = Math.max(window.maxRows, document.querySelectorAll('[data-testid="log-row"]').length);
		}, 50);
	});
	const started = Date.now();
	await page.locator('.summary [data-status="RUNNING"]').waitFor({ timeout: 600_000 });
	await page.waitForFunction(
		(n) => Number.parseInt(document.querySelector('[data-testid="log-count"]').textContent, 10) >= n,
		LINES,
		{ timeout: 120_000 }
	);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const maxRows = await page.evaluate(() => window.maxRows);

	// Every line once, in order: the viewer's own download of what it holds.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
	const file = join(work, 'log.txt');
	await download.saveAs(file);
	const numbers = readFileSync(file, 'utf8')
		.split('\n')
		.map((line) => /^chatty-(\d+)$/.exec(line)?.[1])
		.filter((n) => n !== undefined)
		.map(Number);
	const inOrder = numbers.length === LINES && numbers.every((n, i) => n === i);

	// A scroll at the end: from setting the position to the frame that shows it.
	const scroll = await page.evaluate(async () => {
		const viewport = document.querySelector('[data-testid="log-viewport"]');
		const times = [];
		for (const fraction of [0.5, 0.9, 0.1, 1]) {
			const t0 = performance.now();
			viewport.scrollTop = viewport.scrollHeight * fraction;
			viewport.dispatchEvent(new Event('scroll'));
			await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
			times.push(performance.now() - t0);
		}
		return Math.max(...times);
	});
	console.log(`${LINES.toLocaleString('en')}-line build log, live: ${numbers.length.toLocaleString('en')} lines received, ${inOrder ? 'every one once and in order' : 'NOT all in order'}, in ${seconds} s`);
	console.log(`  DOM rows at most ${maxRows} (target ≤ 300); a scroll shows within ${scroll.toFixed(0)} ms (target ≤ 100 ms)`);
	rmSync(work, { recursive: true, force: true });
} finally {
	await chrome.close();
	await ployer.stop();
	repo.stop();
	removeDockerObjects(appIds);
}
