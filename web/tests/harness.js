// The browser tests' harness: starts the real ployer binary on ephemeral loopback ports with
// a fresh data dir (it starts its own Caddy there), a git daemon serving a test repository,
// and Debian's Chromium through playwright-core. Every part that is missing fails the test
// with the reason; nothing is skipped.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../..', import.meta.url).pathname;
export const ARTIFACTS = join(ROOT, 'web', 'test-results');

export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function binary() {
	const bin = process.env.PLOYER_BIN ?? join(ROOT, 'target', 'debug', 'ployer');
	if (!existsSync(bin)) {
		throw new Error(`the ployer binary is missing at ${bin}: build it first (cargo build -p ployer-server) or set PLOYER_BIN`);
	}
	return bin;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain HTTP request to 127.0.0.1 (with any Host header); resolves {status, headers, body}. */
export function http(port, path, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
		});
		req.on('error', reject);
		req.setTimeout(15_000, () => req.destroy(new Error(`timeout on ${path}`)));
		if (body) req.write(body);
		req.end();
	});
}

/**
 * Starts ployer; `stop()` ends it (and the Caddy it started) and removes its data. `env`
 * adds to (or overrides) its environment, e.g. `{ PLOYER_STATS_INTERVAL_SECONDS: '1' }`; a
 * key set to `undefined` is left out, so Ployer's own default applies.
 */
export async function startPloyer(env = {}) {
	if (!existsSync('/usr/local/bin/caddy') && !process.env.PATH?.split(':').some((d) => existsSync(join(d, 'caddy')))) {
		throw new Error('caddy is not on PATH: run scripts/setup.sh');
	}
	const dir = mkdtempSync(join(tmpdir(), 'ployer-web-'));
	const [port, admin, proxy] = [await freePort(), await freePort(), await freePort()];
	const logFile = join(dir, 'ployer.log');
	const child = spawn(binary(), ['start', '--listen', `127.0.0.1:${port}`, '--data-dir', join(dir, 'data')], {
		env: {
			...process.env,
			PLOYER_CADDY_ADMIN: `http://127.0.0.1:${admin}`,
			PLOYER_PROXY_HTTP_LISTEN: `127.0.0.1:${proxy}`,
			PLOYER_START_CADDY: 'true',
			PLOYER_LOG_LEVEL: 'warn',
			PLOYER_RECONCILE_INTERVAL_SECONDS: '2',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const collect = (chunk) => {
		output += chunk;
		if (output.length > 200_000) output = output.slice(-100_000);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = null;
	child.on('exit', (code) => (exited = code));
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (exited !== null) throw new Error(`ployer exited with ${exited} at start-up:\n${output}`);
		try {
			const res = await http(port, '/healthz');
			if (res.status === 200) break;
		} catch {
			// not listening yet
		}
		if (i > 300) throw new Error(`ployer did not answer /healthz within 30 s:\n${output}`);
		await sleep(100);
	}
	return {
		base,
		port,
		proxyPort: proxy,
		pid: child.pid,
		output: () => output,
		async stop() {
			if (exited === null) {
				child.kill('SIGTERM');
				for (let i = 0; i < 150 && exited === null; i++) await sleep(100);
				if (exited === null) child.kill('SIGKILL');
			}
			writeFileSync(logFile, output);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** GraphQL over HTTP as an API client would (bearer token or none). */
export async function graphql(base, query, variables = {}, token = null) {
	const res = await fetch(`${base}/graphql`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify({ query, variables })
	});
	return res.json();
}

/**
 * Deploys the application through the API; resolves with the deployment's id once it is
 * RUNNING, rejects when it ends otherwise or is still on its way after `timeoutMs`.
 */
export async function deployRunning(base, token, applicationId, { timeoutMs = 150_000 } = {}) {
	const deployed = await graphql(base, 'mutation($i: DeployInput!) { deploy(input: $i) { deployment { id } } }', { i: { applicationId } }, token);
	if (!deployed.data) throw new Error(`deploy: ${JSON.stringify(deployed)}`);
	const id = deployed.data.deploy.deployment.id;
	const until = Date.now() + timeoutMs;
	for (;;) {
		const result = await graphql(base, 'query($id: ID!) { deployment(id: $id) { status error } }', { id }, token);
		if (!result.data) throw new Error(`deployment ${id}: ${JSON.stringify(result)}`);
		const { status, error } = result.data.deployment;
		if (status === 'RUNNING') return id;
		if (['FAILED', 'CANCELLED', 'SUPERSEDED'].includes(status)) throw new Error(`the deployment ended ${status}: ${error}`);
		if (Date.now() > until) throw new Error(`the deployment was still ${status} after ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

/** Creates the admin through the API and returns a bearer token. */
export async function registerAdmin(base) {
	const result = await graphql(
		base,
		'mutation($e: String!, $p: String!) { register(input: {email: $e, password: $p}) { token } }',
		{ e: ADMIN.email, p: ADMIN.password }
	);
	if (!result.data) throw new Error(`register failed: ${JSON.stringify(result)}`);
	return result.data.register.token;
}

/**
 * Launches Chromium. Every request the pages make is recorded; `offLoopback()` lists those
 * that went anywhere but this machine, `cspErrors()` the console's CSP violations.
 */
export async function launch() {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does)`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		]
	});
	const requests = [];
	const console = [];
	const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
	const watch = (ctx) => {
		ctx.on('request', (r) => requests.push(r.url()));
		ctx.on('page', (page) => {
			page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
			page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
		});
	};
	watch(context);
	return {
		browser,
		context,
		requests,
		console,
		watch,
		offLoopback: () =>
			requests.filter((u) => {
				if (u.startsWith('data:') || u.startsWith('blob:')) return false;
				const host = new URL(u).hostname;
				return !(host === '127.0.0.1' || host === 'localhost' || host.endsWith('.localhost'));
			}),
		cspErrors: () => console.filter((m) => /Content.Security.Policy/i.test(m)),
		close: () => browser.close()
	};
}

/**
 * Serious and critical axe findings on the page in each of `schemes` (once the theme has
 * applied), as readable lines.
 */
export async function axeFindings(page, schemes = ['light', 'dark']) {
	const found = [];
	for (const scheme of schemes) {
		await page.emulateMedia({ colorScheme: scheme });
		// The theme has applied once the page's background is the scheme's.
		const background = scheme === 'dark' ? 'rgb(13, 16, 22)' : 'rgb(246, 247, 249)';
		await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, background, { timeout: 10_000 }).catch(async (e) => {
			const state = await page.evaluate(() => ({
				bg: getComputedStyle(document.body).backgroundColor,
				dark: matchMedia('(prefers-color-scheme: dark)').matches,
				theme: document.documentElement.dataset.theme ?? null
			}));
			throw new Error(`${e.message}: wanted ${scheme} (${background}), page has ${JSON.stringify(state)}`);
		});
		await page.waitForTimeout(150);
		const { violations } = await new AxeBuilder({ page }).analyze();
		for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
			found.push(`${scheme} ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? n.failureSummary})`).join(', ')}`);
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
	return found;
}

/** Screenshots of the page in light and dark, kept under web/test-results (not in git). */
export async function screenshots(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	for (const scheme of ['light', 'dark']) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.waitForTimeout(100);
		await page.screenshot({ path: join(ARTIFACTS, `${name}-${scheme}.png`), fullPage: true });
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

/** Signs in through the sign-in page. */
export async function signIn(page, base, { email, password } = ADMIN) {
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByTestId('current-user').waitFor();
}

/**
 * A bare repository served by `git daemon` on loopback, with a working copy whose `main`
 * serves "version v1" from the test base image (scripts/test-image.sh).
 */
export async function gitRepo() {
	const image = 'ployer-test/busybox:latest';
	try {
		execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
	} catch {
		throw new Error(`the test image ${image} is missing: run scripts/setup.sh --with-test-fixtures`);
	}
	const dir = mkdtempSync(join(tmpdir(), 'ployer-web-git-'));
	const served = join(dir, 'served');
	const work = join(dir, 'work');
	mkdirSync(served);
	mkdirSync(join(work, 'www'), { recursive: true });
	const git = (cwd, ...args) =>
		execFileSync('git', ['-c', 'user.name=Ployer Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
	git(served, 'init', '-q', '--bare', '-b', 'main', 'app.git');
	git(work, 'init', '-q', '-b', 'main');
	git(work, 'remote', 'add', 'origin', join(served, 'app.git'));
	const marker = Math.random().toString(36).slice(2, 10);
	writeFileSync(
		join(work, 'Dockerfile'),
		`FROM ${image}\nLABEL ployer.test.repo=${marker}\nRUN echo build-step-one-${marker}\nRUN echo build-step-two-${marker}\n` +
			// Colours, a progress line rewritten with \r, and markup that must stay text.
			`RUN printf '\\033[31mred-${marker}\\033[0m plain\\n'\n` +
			`RUN printf 'progress-${marker} 10%%\\rprogress-${marker} 50%%\\rprogress-${marker} 100%%\\n'\n` +
			`RUN echo '<img src=x onerror="window.injected=1">markup-${marker}'\n` +
			`COPY www /www\n` +
			`CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]\n`
	);
	const commit = (version) => {
		writeFileSync(join(work, 'www', 'index.html'), `version ${version}\n`);
		git(work, 'add', '-A');
		git(work, 'commit', '-q', '-m', `version ${version}`);
		git(work, 'push', '-q', 'origin', 'main');
		return git(work, 'rev-parse', 'HEAD');
	};
	commit('v1');
	const port = await freePort();
	const daemon = spawn(
		'git',
		['daemon', '--reuseaddr', '--export-all', `--base-path=${served}`, '--listen=127.0.0.1', `--port=${port}`, served],
		{ stdio: 'ignore' }
	);
	for (let i = 0; i < 100; i++) {
		try {
			execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/app.git`], { stdio: 'ignore' });
			break;
		} catch {
			await sleep(100);
		}
	}
	return {
		url: `git://127.0.0.1:${port}/app.git`,
		marker,
		workDir: work,
		commit,
		stop() {
			daemon.kill();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/**
 * A real SSH host on loopback for the remote-server flows: an sshd of its own (its config,
 * host key and `authorized_keys` in a temp dir) in front of this machine's Docker engine.
 * `authorize(line)` lets a public key in; `down()` ends it with every session it serves (the
 * host goes away) and `up()` starts it again on the same port; `replaceHostKey()` does both
 * with a new host key in between, as a reinstall would; `fingerprint()` is the host key's
 * `SHA256:…`; `stop()` ends it and removes its files.
 */
export async function sshd() {
	const binary = '/usr/sbin/sshd';
	if (!existsSync(binary)) throw new Error(`${binary} is missing: apt-get install openssh-server (scripts/setup.sh does)`);
	const dir = mkdtempSync(join(tmpdir(), 'ployer-web-sshd-'));
	const hostKey = join(dir, 'host_key');
	const authorized = join(dir, 'authorized_keys');
	const config = join(dir, 'sshd_config');
	const port = await freePort();
	writeFileSync(authorized, '');
	writeFileSync(
		config,
		[
			'ListenAddress 127.0.0.1',
			`Port ${port}`,
			`HostKey ${hostKey}`,
			`AuthorizedKeysFile ${authorized}`,
			'StrictModes no',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'PermitRootLogin prohibit-password',
			'UsePAM no',
			'PidFile none',
			''
		].join('\n')
	);
	// Privilege separation needs its directory (Debian's tmpfiles create it only for the service).
	mkdirSync('/run/sshd', { recursive: true });
	const newHostKey = () => {
		rmSync(hostKey, { force: true });
		rmSync(`${hostKey}.pub`, { force: true });
		execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ployer-web-test-host', '-f', hostKey]);
	};
	let child = null;
	let output = '';
	const start = async () => {
		output = '';
		const started = spawn(binary, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
		started.stderr.on('data', (chunk) => (output += chunk));
		let exited = null;
		started.on('exit', (code) => (exited = code));
		for (let i = 0; !output.includes('Server listening'); i++) {
			if (exited !== null) throw new Error(`sshd exited with ${exited}:\n${output}`);
			if (i > 100) throw new Error(`sshd did not listen within 10 s:\n${output}`);
			await sleep(100);
		}
		child = started;
	};
	// The listener and the sessions it forked (each connection's processes), so that no
	// connection outlives the host: found by parent pid before the listener ends.
	const end = async () => {
		if (!child || child.exitCode !== null) return;
		const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
			.trim()
			.split('\n')
			.map((line) => line.trim().split(/\s+/).map(Number));
		const sessions = [];
		for (let parents = [child.pid]; parents.length > 0; ) {
			const found = table.filter(([, ppid]) => parents.includes(ppid)).map(([pid]) => pid);
			sessions.push(...found);
			parents = found;
		}
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		for (const pid of sessions) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// already gone with its parent
			}
		}
		await Promise.race([exited, sleep(5000)]);
		if (child.exitCode === null) child.kill('SIGKILL');
	};
	newHostKey();
	await start();
	return {
		port,
		authorize: (line) => writeFileSync(authorized, `${line.trim()}\n`, { flag: 'a' }),
		fingerprint: () => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1],
		down: end,
		up: start,
		async replaceHostKey() {
			await end();
			newHostKey();
			await start();
		},
		output: () => output,
		async stop() {
			await end();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/**
 * Removes the containers, images and networks (a Compose application's) a test's
 * applications left (by their app label).
 */
export function removeDockerObjects(appIds) {
	for (const id of appIds) {
		for (const [remove, list] of [
			[['rm', '-f'], ['ps', '-aq', '--filter', `label=ployer.app=${id}`]],
			[['rmi', '-f'], ['images', '-q', '--filter', `label=ployer.app=${id}`]],
			[['network', 'rm'], ['network', 'ls', '-q', '--filter', `label=ployer.app=${id}`]]
		]) {
			try {
				const ids = execFileSync('docker', list, { encoding: 'utf8' }).split('\n').filter(Boolean);
				if (ids.length) execFileSync('docker', [...remove, ...ids], { stdio: 'ignore' });
			} catch {
				// best effort
			}
		}
	}
}
