'use strict';
/**
 * Everything the end-to-end suite and the playground need to run a real n8n with this package:
 * installing n8n once into a cache folder, building and packing the package, preparing an n8n
 * user folder the way n8n installs community packages, running n8n's CLI and server, the MDR
 * sandbox as its own process, and n8n's REST API.
 *
 * Plain CommonJS so that `npm start` (scripts/playground.js) can use it without a compiler.
 * Every process started here runs in its own process group and is killed with its children.
 */

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-kaspersky-mdr';
const NODE_TYPE = `${PACKAGE_NAME}.kasperskyMdr`;
const TRIGGER_TYPE = `${PACKAGE_NAME}.kasperskyMdrTrigger`;
const CREDENTIAL_TYPE = 'kasperskyMdrApi';

/** n8n releases this package is proven against: the last 1.x on Node 20 and a 2.x on Node 24. */
const N8N_LINES = {
	1: { version: '1.123.81', node: 20 },
	2: { version: '2.41.1', node: 24 },
};

// ---------------------------------------------------------------------------------------------
// Secrets never reach a log: every JWT-shaped string is masked before anything is printed.

const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function redact(text) {
	return String(text).replace(JWT_PATTERN, '[token]');
}

function tail(text, lines = 40) {
	return redact(String(text).split('\n').slice(-lines).join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set();

function killGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

process.on('exit', () => {
	for (const child of children) killGroup(child, 'SIGKILL');
});
// Without these, Ctrl-C or a CI timeout would leave n8n and sandbox processes behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.once(signal, () => {
		for (const child of children) killGroup(child, 'SIGKILL');
		process.exit(signal === 'SIGINT' ? 130 : 143);
	});
}

/** Starts a process in its own group, output appended to `logFile`, tracked for cleanup. */
function spawnLogged(command, args, { env, cwd, logFile }) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(command, args, {
		cwd: cwd ?? ROOT,
		env,
		detached: true,
		stdio: ['ignore', fd, fd],
	});
	fs.closeSync(fd);
	children.add(child);
	child.exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			children.delete(child);
			resolve({ code, signal });
		});
		child.on('error', (error) => {
			children.delete(child);
			resolve({ code: -1, signal: null, error });
		});
	});
	return child;
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`. */
async function stopProcess(child, graceMs = 15_000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await child.exited;
	clearTimeout(timer);
	// n8n 2.x starts task runners in the same group: make sure none outlives its parent.
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// group already empty
	}
}

async function stopAll() {
	await Promise.all([...children].map((child) => stopProcess(child, 5_000)));
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs` with `describe()`. */
async function waitFor(check, { timeoutMs, intervalMs = 250, describe }) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const detail = describe ? describe() : lastError ? String(lastError.message) : '';
			throw new Error(`Timed out after ${timeoutMs} ms${detail ? `: ${detail}` : ''}`);
		}
		await sleep(intervalMs);
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function run(command, args, { cwd, env, label }) {
	const result = spawnSync(command, args, {
		cwd: cwd ?? ROOT,
		env: env ?? process.env,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		throw new Error(
			`${label ?? `${command} ${args.join(' ')}`} failed (exit ${result.status}):\n${tail(
				`${result.stdout}\n${result.stderr}`,
			)}`,
		);
	}
	return result.stdout;
}

// ---------------------------------------------------------------------------------------------
// n8n installs and the package

/** Installs (once) and returns the folder of an n8n release; its `bin/n8n` runs the right Node. */
function installN8n(version) {
	const out = run('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh'), version], {
		label: `Installing n8n ${version}`,
	});
	const dir = out.trim().split('\n').pop();
	if (!fs.existsSync(path.join(dir, 'bin', 'n8n'))) throw new Error(`No n8n found in ${dir}`);
	return dir;
}

/** Whether this machine can run n8n 2.x: Node 24 comes from the npm registry (see the script). */
function installedN8n(version) {
	const cache = process.env.N8N_CACHE_DIR || path.join(os.homedir(), '.cache', PACKAGE_NAME);
	const dir = path.join(cache, `n8n-${version}`);
	return fs.existsSync(path.join(dir, '.installed')) ? dir : undefined;
}

/** `npm run build` then `npm pack` into `outDir`; returns the tarball's path. */
function buildAndPack(outDir) {
	run('npm', ['run', 'build', '--silent'], { label: 'npm run build' });
	fs.mkdirSync(outDir, { recursive: true });
	const json = run('npm', ['pack', '--json', '--pack-destination', outDir], { label: 'npm pack' });
	const [{ filename }] = JSON.parse(json);
	return path.join(outDir, filename);
}

/**
 * A fresh n8n user folder with the package installed exactly as n8n 1.123 / 2.41 install a
 * community package (modules/community-packages/community-packages.service.js, downloadPackage):
 * the tarball is unpacked into `.n8n/nodes/node_modules/<name>`, its devDependencies,
 * peerDependencies and optionalDependencies are removed from its package.json, `npm install` runs
 * inside it with n8n's flags, and the package is recorded in `.n8n/nodes/package.json`.
 */
function prepareUserFolder(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(packageDir, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { label: 'Unpacking the tarball' });
	const manifestPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		fs.readFileSync(manifestPath, 'utf8'),
	);
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, label: 'npm install inside the unpacked package' },
	);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } },
			null,
			2,
		),
	);
	return userFolder;
}

// ---------------------------------------------------------------------------------------------
// n8n

/** Pulls the first complete JSON object that starts after `marker` out of a log. */
function extractJson(text, marker) {
	const clean = String(text).replace(/\u001b\[[0-9;]*m/g, '');
	const from = marker ? clean.indexOf(marker) : 0;
	if (from < 0) return undefined;
	const start = clean.indexOf('{', from);
	if (start < 0) return undefined;
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = start; i < clean.length; i++) {
		const ch = clean[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (ch === '\\') escaped = true;
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') inString = true;
		else if (ch === '{') depth++;
		else if (ch === '}' && --depth === 0) {
			try {
				return JSON.parse(clean.slice(start, i + 1));
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

const EXECUTE_MARKER = '====================================';

class N8n {
	/**
	 * @param {object} options
	 * @param {string} options.installDir folder printed by scripts/install-n8n.sh
	 * @param {string} options.userFolder N8N_USER_FOLDER (holds .n8n/)
	 * @param {string} options.encryptionKey N8N_ENCRYPTION_KEY
	 * @param {string} [options.logDir] where every command's output goes
	 * @param {Record<string,string>} [options.env] extra environment
	 */
	constructor({ installDir, userFolder, encryptionKey, logDir, env }) {
		this.installDir = installDir;
		this.bin = path.join(installDir, 'bin', 'n8n');
		this.userFolder = userFolder;
		this.encryptionKey = encryptionKey;
		this.logDir = logDir ?? path.join(userFolder, 'logs');
		this.extraEnv = env ?? {};
		this.sequence = 0;
		this.server = undefined;
	}

	get major() {
		const match = /n8n-(\d+)\./.exec(path.basename(this.installDir));
		return match ? Number(match[1]) : 1;
	}

	env(extra = {}) {
		const env = { ...process.env };
		for (const key of Object.keys(env)) {
			// Jest sets NODE_ENV=test, which silences n8n's logger (and with it `n8n execute` output).
			if (/^(N8N_|DB_|JEST_)/.test(key) || key === 'NODE_OPTIONS' || key === 'NODE_ENV') delete env[key];
		}
		return {
			...env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			NO_COLOR: '1',
			GENERIC_TIMEZONE: 'UTC',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_ENABLED: 'true',
			N8N_PUBLIC_API_DISABLED: 'true',
			...this.extraEnv,
			...extra,
		};
	}

	logFile(label) {
		this.sequence += 1;
		return path.join(this.logDir, `${String(this.sequence).padStart(3, '0')}-${label}.log`);
	}

	/** Runs one CLI command to the end; output goes to a file (a pipe can be cut short). */
	async cli(args, { label, timeoutMs = 180_000, allowFailure = false } = {}) {
		const logFile = this.logFile(label ?? args[0].replace(/[^a-z0-9]+/gi, '-'));
		const startedAt = Date.now();
		// Every n8n process opens a task-runner broker port (default 5679): give each its own, so
		// that several commands can run at once.
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		const child = spawnLogged(this.bin, args, { env, logFile });
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
		const { code, signal } = await child.exited;
		clearTimeout(timer);
		const output = fs.readFileSync(logFile, 'utf8');
		const result = { code, signal, output, logFile, ms: Date.now() - startedAt };
		if (!allowFailure && code !== 0) {
			throw new Error(
				`n8n ${args[0]} failed (exit ${code ?? signal}); log ${logFile}:\n${tail(output)}`,
			);
		}
		return result;
	}

	writeInput(name, data) {
		const file = path.join(this.userFolder, 'inputs', name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** Creates the database and runs the migrations once (a copy of the folder skips them later). */
	async migrate() {
		await this.cli(['list:workflow'], { label: 'migrate' });
	}

	async importCredentials(credentials) {
		const file = this.writeInput(`credentials-${Date.now()}.json`, credentials);
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows) {
		const file = this.writeInput(`workflows-${Date.now()}.json`, workflows);
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/** The credential as stored, decrypted (for assertions only: never print it). */
	async exportCredential(id) {
		const file = path.join(this.userFolder, 'exports', `credential-${id}-${Date.now()}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`], {
			label: 'export-credentials',
		});
		const [credential] = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.rmSync(file);
		return credential;
	}

	/**
	 * `n8n execute --id`; returns the run data n8n prints, the exit code and the log.
	 * `ok` is true when n8n reports success.
	 */
	async execute(workflowId, { label = 'execute', timeoutMs } = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`], {
			label,
			timeoutMs,
			allowFailure: true,
		});
		const run = extractJson(result.output, EXECUTE_MARKER);
		const ok = result.code === 0 && /Execution was successful/.test(result.output);
		return { ...result, ok, run };
	}

	/** `n8n start` on a free port; resolves when the REST API answers. */
	async start({ port, timeoutMs = 240_000, env = {} } = {}) {
		const listenPort = port ?? (await freePort());
		const logFile = this.logFile('start');
		const child = spawnLogged(this.bin, ['start'], {
			env: this.env({
				N8N_PORT: String(listenPort),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_EDITOR_BASE_URL: `http://127.0.0.1:${listenPort}`,
				WEBHOOK_URL: `http://127.0.0.1:${listenPort}/`,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
				...env,
			}),
			logFile,
		});
		const baseUrl = `http://127.0.0.1:${listenPort}`;
		this.server = { child, baseUrl, logFile };
		await waitFor(
			async () => {
				if (child.exitCode !== null) throw new Error('n8n exited');
				// While starting, n8n answers 200 "n8n is starting up. Please wait" on every route,
				// then 404 for a while: wait for readiness and for real JSON from the REST API.
				const ready = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(5_000) });
				if (!ready.ok) return false;
				const res = await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5_000) });
				if (!res.ok) return false;
				const body = await res.json().catch(() => undefined);
				return Boolean(body && body.data && body.data.userManagement);
			},
			{
				timeoutMs,
				intervalMs: 500,
				describe: () => `n8n did not start; log ${logFile}:\n${tail(fs.readFileSync(logFile, 'utf8'))}`,
			},
		);
		return baseUrl;
	}

	serverLog() {
		return this.server ? fs.readFileSync(this.server.logFile, 'utf8') : '';
	}

	async stop() {
		if (this.server) await stopProcess(this.server.child, 20_000);
		this.server = undefined;
	}

	/** Makes a workflow active: `update:workflow --active` on 1.x, `publish:workflow` on 2.x. */
	async activateWorkflow(id) {
		if (this.major >= 2) await this.cli(['publish:workflow', `--id=${id}`]);
		else await this.cli(['update:workflow', `--id=${id}`, '--active=true']);
	}
}

// ---------------------------------------------------------------------------------------------
// n8n's REST API as the editor uses it

class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		// n8n binds the auth cookie to a hash of this header; the editor sends a constant per tab.
		this.browserId = crypto.randomUUID();
	}

	async request(method, route, body) {
		const res = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(120_000),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const value of setCookie) {
			const pair = value.split(';')[0];
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const error = new Error(`${method} /rest${route} answered ${res.status}: ${redact(text).slice(0, 500)}`);
			error.status = res.status;
			throw error;
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	async setupOwner({ email, password, firstName = 'Demo', lastName = 'Owner' }) {
		return await this.request('POST', '/owner/setup', { email, password, firstName, lastName });
	}

	async login({ email, password }) {
		return await this.request('POST', '/login', { emailOrLdapLoginId: email, email, password });
	}
}

// ---------------------------------------------------------------------------------------------
// The MDR sandbox, as its own process

class SandboxProcess {
	constructor(info, child, logFile) {
		Object.assign(this, info);
		this.child = child;
		this.logFile = logFile;
	}

	/** `node sandbox/cli.js --json --port 0 [...args]`; resolves with the line it prints. */
	static async start({ logFile, args = [], timeoutMs = 30_000 } = {}) {
		const file = logFile ?? path.join(os.tmpdir(), `mdr-sandbox-${process.pid}-${Date.now()}.log`);
		const cli = path.join(ROOT, 'sandbox', 'cli.js');
		const child = spawnLogged(process.execPath, [cli, '--json', '--port', '0', ...args], {
			env: process.env,
			logFile: file,
		});
		const info = await waitFor(
			() => {
				if (child.exitCode !== null) throw new Error('sandbox exited');
				const firstLine = fs.readFileSync(file, 'utf8').split('\n').find((line) => line.startsWith('{'));
				return firstLine && JSON.parse(firstLine);
			},
			{ timeoutMs, intervalMs: 100, describe: () => tail(fs.readFileSync(file, 'utf8')) },
		);
		return new SandboxProcess(info, child, file);
	}

	/** A call to the sandbox's control HTTP API. */
	async control(method, route, body) {
		const res = await fetch(`${this.controlUrl.replace(/\/+$/, '')}${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`sandbox control ${method} ${route} answered ${res.status}: ${redact(text).slice(0, 300)}`);
		return text ? JSON.parse(text) : undefined;
	}

	async stop() {
		await stopProcess(this.child, 5_000);
	}
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	NODE_TYPE,
	TRIGGER_TYPE,
	CREDENTIAL_TYPE,
	N8N_LINES,
	redact,
	tail,
	spawnLogged,
	stopProcess,
	stopAll,
	sleep,
	waitFor,
	freePort,
	installN8n,
	installedN8n,
	buildAndPack,
	prepareUserFolder,
	extractJson,
	N8n,
	N8nRest,
	SandboxProcess,
};
