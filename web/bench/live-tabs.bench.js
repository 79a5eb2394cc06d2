// Prints Ployer's resident memory with five browser tabs open on live pages against 20 running
// applications (the README's target: ≤ 30 MB); asserts nothing. Run by scripts/bench-web.sh.
//
// Ployer (PLOYER_BIN, the release build) runs with its own Caddy and its default intervals
// (stats every 15 s, a health check every 10 s per application, a reconcile pass every 10 s).
// 20 applications are deployed one after another from one test repository (the first build
// fills Docker's cache, the others reuse it); each container serves HTTP, prints a line a
// second and may use 16 MiB. Once all of them run and are healthy, Chromium opens, signed in,
// the dashboard, two applications' Metrics tabs and two others' Logs tabs, and keeps them open
// for BENCH_LIVE_SECONDS (60). Ployer's VmRSS and VmHWM (/proc/PID/status) are printed before
// the tabs, every second while they are open (the most and the last), and after they close;
// the peak is reset (clear_refs) before the tabs open so that it is theirs, not the deploys'.
// (The kernel records the peak when memory is unmapped, so VmHWM can read a little below the
// most VmRSS sampled.)
// The ids of the applications go, one a line, to BENCH_APP_IDS_FILE when it is set, so that
// the calling script can remove their containers and images even if this process is killed.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployRunning, gitRepo, graphql, launch, registerAdmin, removeDockerObjects, signIn, startPloyer } from '../tests/harness.js';

const APPS = Number(process.env.BENCH_APPS ?? 20);
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 60);
const QUIET_SECONDS = 10;
const TARGET_MB = 30;
const CONTAINER_MEMORY = 16 * 1024 * 1024;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kib) => `${(kib / 1024).toFixed(1)} MB`;

/** The process's memory figures in KiB, from /proc/PID/status. */
function memory(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
	return { rss: field('VmRSS'), hwm: field('VmHWM'), anon: field('RssAnon'), file: field('RssFile') };
}

/** Sets the process's VmHWM back to its VmRSS (Linux ≥ 4.0); false where that is refused. */
function resetPeak(pid) {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

let ployer;
let repo;
let chrome;
const appIds = [];
let cleaning = null;
/** Stops everything this bench started; safe to call twice (a signal during the finally). */
function cleanup() {
	cleaning ??= (async () => {
		await chrome?.close().catch(() => {});
		await ployer?.stop();
		repo?.stop();
		removeDockerObjects(appIds);
	})();
	return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		console.error(`live-tabs bench: ${signal}, cleaning up`);
		void cleanup().finally(() => process.exit(130));
	});
}

try {
	// Ployer's own defaults, not the harness's quicker test settings.
	ployer = await startPloyer({ PLOYER_RECONCILE_INTERVAL_SECONDS: undefined, PLOYER_LOG_LEVEL: undefined });
	repo = await gitRepo();
	const dockerfile = readFileSync(join(repo.workDir, 'Dockerfile'), 'utf8').replace(
		'httpd -f -p 8080 -h /www & wait',
		'httpd -f -p 8080 -h /www & i=0; while true; do echo \\"live $i\\"; i=$((i+1)); sleep 1; done'
	);
	if (!dockerfile.includes('live $i')) throw new Error("the test repository's command has changed; update this bench");
	writeFileSync(join(repo.workDir, 'Dockerfile'), dockerfile);
	repo.commit('live');
	const token = await registerAdmin(ployer.base);

	const deployStarted = Date.now();
	for (let n = 0; n < APPS; n++) {
		const created = await graphql(
			ployer.base,
			'mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }',
			{ i: { name: `live-${repo.marker}-${n}`, gitUrl: repo.url, port: 8080, memoryLimitBytes: CONTAINER_MEMORY } },
			token
		);
		if (!created.data) throw new Error(`createApplication: ${JSON.stringify(created)}`);
		const id = created.data.createApplication.application.id;
		appIds.push(id);
		if (process.env.BENCH_APP_IDS_FILE) appendFileSync(process.env.BENCH_APP_IDS_FILE, `${id}\n`);
		await deployRunning(ployer.base, token, id);
	}
	const deployed = (Date.now() - deployStarted) / 1000;
	// Running is not yet healthy: the health monitor's first probes come within its interval.
	for (;;) {
		const result = await graphql(ployer.base, '{ applications(first: 100) { edges { node { status health { status } } } } }', {}, token);
		if (!result.data) throw new Error(`applications: ${JSON.stringify(result)}`);
		const nodes = result.data.applications.edges.map((e) => e.node);
		const healthy = nodes.filter((n) => n.status === 'RUNNING' && n.health.status === 'HEALTHY').length;
		if (healthy === APPS) break;
		if ((Date.now() - deployStarted) / 1000 > deployed + 120) throw new Error(`only ${healthy} of ${APPS} applications healthy 120 s after the deploys`);
		await sleep(1000);
	}
	console.log(
		`${APPS} applications running and healthy ${((Date.now() - deployStarted) / 1000).toFixed(0)} s after the first deploy ` +
			`(deployed one after another in ${deployed.toFixed(0)} s, only the first build uncached)`
	);

	await sleep(QUIET_SECONDS * 1000);
	const sinceStart = memory(ployer.pid);
	const reset = resetPeak(ployer.pid);
	const before = memory(ployer.pid);

	// The five tabs, in one browser context. Signing in hashes the password (argon2id, 19 MiB
	// for a moment): its peak is measured on its own, then reset, so the tabs' peak is theirs.
	chrome = await launch();
	const dashboard = await chrome.context.newPage();
	await signIn(dashboard, ployer.base);
	const signedIn = memory(ployer.pid);
	resetPeak(ployer.pid);
	await dashboard.goto(`${ployer.base}/`);
	await dashboard.getByTestId('server-stats').waitFor({ timeout: 30_000 });
	const metrics = [];
	const logs = [];
	for (const [list, tab, ids, ready] of [
		[metrics, 'metrics', appIds.slice(0, 2), 'chart-cpu'],
		[logs, 'logs', appIds.slice(2, 4), 'log-row']
	]) {
		for (const id of ids) {
			const page = await chrome.context.newPage();
			await page.goto(`${ployer.base}/applications/${id}/${tab}`);
			await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
			list.push(page);
		}
	}
	// What shows that the pages are live: the dashboard's server figures changing, the charts'
	// points and the logs' lines growing.
	await dashboard.evaluate(() => {
		window.benchChanges = 0;
		const observer = new MutationObserver(() => window.benchChanges++);
		observer.observe(document.querySelector('[data-testid="server-stats"]'), { subtree: true, childList: true, characterData: true });
	});
	// The Logs tabs first replay what the containers printed before: let that arrive.
	await sleep(3000);
	const points = (page) => page.getByTestId('chart-cpu').getAttribute('data-points').then(Number);
	const lines = (page) => page.getByTestId('log-count').innerText().then((text) => Number.parseInt(text, 10));
	const startPoints = await Promise.all(metrics.map(points));
	const startLines = await Promise.all(logs.map(lines));

	const samples = [];
	for (let s = 0; s < LIVE_SECONDS; s++) {
		await sleep(1000);
		samples.push(memory(ployer.pid));
	}
	const open = samples.at(-1);
	const maxRss = Math.max(...samples.map((m) => m.rss));
	const changes = await dashboard.evaluate(() => window.benchChanges);
	const addedPoints = (await Promise.all(metrics.map(points))).map((n, i) => n - startPoints[i]);
	const addedLines = (await Promise.all(logs.map(lines))).map((n, i) => n - startLines[i]);

	await chrome.close();
	chrome = null;
	await sleep(QUIET_SECONDS * 1000);
	const after = memory(ployer.pid);

	const verdict = maxRss / 1024 <= TARGET_MB ? 'met' : 'MISSED';
	console.log(`Ployer's resident memory, 5 live tabs (dashboard, 2 × Metrics, 2 × Logs) against ${APPS} running applications:`);
	console.log(
		`  before the tabs (${QUIET_SECONDS} s quiet after the deploys): VmRSS ${mb(before.rss)} (${mb(before.anon)} anonymous, ${mb(before.file)} file-backed); ` +
			`VmHWM ${mb(sinceStart.hwm)} since start (the deploys)${reset ? ', then reset' : ' (could not be reset)'}`
	);
	console.log(`  signing in (argon2id hash of the password): VmHWM ${mb(signedIn.hwm)}${reset ? ', then reset' : ''}`);
	console.log(
		`  tabs open ${LIVE_SECONDS} s, sampled every second: VmRSS max ${mb(maxRss)}, last ${mb(open.rss)}; VmHWM ${mb(open.hwm)} ` +
			`since they opened (target ≤ ${TARGET_MB} MB: ${verdict})`
	);
	console.log(`    last sample: ${mb(open.anon)} anonymous, ${mb(open.file)} file-backed (pages of the binary, its UI and libraries)`);
	console.log(`  ${QUIET_SECONDS} s after closing them: VmRSS ${mb(after.rss)}; VmHWM ${mb(after.hwm)}`);
	console.log(
		`  live while open: the dashboard's server figures changed ${changes} times; Metrics +${addedPoints.join('/+')} points; ` +
			`Logs +${addedLines.join('/+')} lines`
	);
} finally {
	await cleanup();
}
