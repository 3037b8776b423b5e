/**
 * Test-side helpers: the run prepared by global-setup.js, fresh n8n user folders, the sandbox with
 * typed control calls, and builders for the credentials and workflows that are imported into n8n.
 */
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';

import * as rt from './runtime';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ENCRYPTION_KEY, selectedLines } = require('./settings') as {
	ENCRYPTION_KEY: string;
	selectedLines: () => string[];
};

export type LineId = '1' | '2';

export interface LineState {
	version: string;
	installDir: string;
	template: string;
}

interface RunState {
	runDir: string;
	tarball: string;
	lines: Partial<Record<LineId, LineState>>;
}

export function runState(): RunState {
	const runDir = process.env.E2E_RUN_DIR;
	if (!runDir) throw new Error('E2E_RUN_DIR is not set: run the suite with `npm run test:e2e`');
	return JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')) as RunState;
}

export function lineSelected(line: LineId): boolean {
	return selectedLines().includes(line);
}

export function lineTitle(line: LineId): string {
	const { version, node } = rt.N8N_LINES[line];
	return `n8n ${version} on Node ${node}`;
}

let folderCount = 0;

/**
 * A copy of the migrated template user folder of this line (package already in .n8n/nodes); with
 * `database`, its n8n uses that database (for example PostgreSQL's settings) instead of SQLite.
 */
export function freshN8n(line: LineId, label: string, database?: Record<string, string>): rt.N8n {
	const state = runState();
	const lineState = state.lines[line];
	if (!lineState) throw new Error(`n8n line ${line} was not prepared by the global setup`);
	folderCount += 1;
	const name = `${label}-n8n${line}-${process.pid}-${folderCount}`;
	const userFolder = path.join(state.runDir, 'folders', name);
	fs.cpSync(lineState.template, userFolder, { recursive: true });
	// Another database: the template's migrated SQLite file must not be mistaken for it.
	if (database) fs.rmSync(path.join(userFolder, '.n8n', 'database.sqlite'), { force: true });
	return new rt.N8n({
		installDir: lineState.installDir,
		userFolder,
		encryptionKey: ENCRYPTION_KEY,
		logDir: path.join(state.runDir, 'logs', name),
		env: database,
	});
}

/** Prints how long a step took, so docs/e2e.md can report measured timings. */
export async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
	const startedAt = Date.now();
	try {
		return await step();
	} finally {
		const line = `[e2e timing] ${label}: ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`;
		process.stdout.write(line);
		const runDir = process.env.E2E_RUN_DIR;
		if (runDir) fs.appendFileSync(path.join(runDir, 'logs', 'timings.log'), line);
	}
}

// ---------------------------------------------------------------------------------------------
// Sandbox

export interface Counters {
	endpoints: Record<string, { received: number; faulted: number; performed: number; rejected: number }>;
	confirm: { ok: number; rejected: number };
	totals: { received: number; faulted: number; performed: number; rejected: number };
}

export interface LoggedRequest {
	seq: number;
	path: string;
	status: number | null;
	outcome: string | null;
	body: any;
	headers: Record<string, any>;
}

export class Sandbox {
	private constructor(readonly process: rt.SandboxProcess) {}

	static async start(logFile: string): Promise<Sandbox> {
		return new Sandbox(await rt.SandboxProcess.start({ logFile }));
	}

	get apiUrl(): string {
		return this.process.apiUrl;
	}

	get clientId(): string {
		return this.process.clientId;
	}

	async control<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		return await this.process.control<T>(method, route, body);
	}

	async reset(options: { incidents?: number; seed?: number } = {}): Promise<void> {
		await this.control('POST', '/reset', { incidents: 6, seed: 11, tokens: true, resetConfig: true, ...options });
	}

	/** A console-issued refresh token (never printed). */
	async mintRefreshToken(): Promise<string> {
		const { refreshToken } = await this.control<{ refreshToken: string }>('POST', '/tokens/mint', {});
		return refreshToken;
	}

	/** Spends a refresh token the way a second client would, so it can no longer be used. */
	async spend(refreshToken: string): Promise<void> {
		const res = await fetch(`${this.apiUrl}/${encodeURIComponent(this.clientId)}/session/confirm`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ refresh_token: refreshToken }),
		});
		if (!res.ok) throw new Error(`spending a refresh token failed: ${res.status}`);
		await res.arrayBuffer();
	}

	async isValidRefreshToken(refreshToken: string): Promise<boolean> {
		const { valid } = await this.control<{ valid: boolean }>('POST', '/tokens/check', { refreshToken });
		return valid;
	}

	async expireAccessTokens(): Promise<void> {
		await this.control('POST', '/tokens/expire-access', {});
	}

	async configure(config: Record<string, unknown>): Promise<void> {
		await this.control('POST', '/config', config);
	}

	async counters(): Promise<Counters> {
		return await this.control<Counters>('GET', '/counters');
	}

	async resetCounters(): Promise<void> {
		await this.control('POST', '/counters/reset', {});
	}

	/** Requests the sandbox received (newest `limit`), optionally for one path and after a seq. */
	async requests(pathName?: string, options: { limit?: number; sinceSeq?: number } = {}): Promise<LoggedRequest[]> {
		const query = new URLSearchParams({ limit: String(options.limit ?? 500) });
		if (pathName) query.set('path', pathName);
		if (options.sinceSeq !== undefined) query.set('sinceSeq', String(options.sinceSeq));
		return await this.control<LoggedRequest[]>('GET', `/requests?${query.toString()}`);
	}

	/** The sequence number of the newest logged request (0 when none). */
	async lastSeq(): Promise<number> {
		const [newest] = await this.requests(undefined, { limit: 1 });
		return newest?.seq ?? 0;
	}

	async stop(): Promise<void> {
		await this.process.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// A gate in front of the sandbox, to make n8n processes collide

/**
 * A pass-through HTTP proxy to the sandbox that can hold requests for one API path until a given
 * number of them have arrived, then lets them all through at once. Ten n8n processes boot over
 * several seconds on a small machine; holding their first request lines them up, so that their
 * token refreshes really race. It can also run an action just before one request goes through
 * (to lock n8n's database at the moment MDR rotates a token).
 */
export class Gate {
	private server?: http.Server;
	private held: Array<() => void> = [];
	private rule?: { pathEnd: string; count: number; timer: NodeJS.Timeout };
	private hook?: { pathEnd: string; action: () => Promise<void> };
	apiUrl = '';
	released = 0;

	constructor(private readonly target: string) {}

	async start(): Promise<void> {
		const target = new URL(this.target);
		this.server = http.createServer((req, res) => {
			const forward = () => {
				const upstream = http.request(
					{
						host: target.hostname,
						port: target.port,
						method: req.method,
						path: req.url,
						headers: { ...req.headers, host: target.host },
					},
					(answer) => {
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						answer.pipe(res);
					},
				);
				upstream.on('error', () => res.destroy());
				req.pipe(upstream);
			};
			const hook = this.hook;
			if (hook && (req.url ?? '').endsWith(hook.pathEnd)) {
				this.hook = undefined;
				req.pause();
				void hook.action().then(
					() => {
						req.resume();
						forward();
					},
					() => res.destroy(),
				);
			} else if (this.rule && (req.url ?? '').endsWith(this.rule.pathEnd)) {
				req.pause();
				this.held.push(() => {
					req.resume();
					forward();
				});
				if (this.held.length >= this.rule.count) this.release();
			} else {
				forward();
			}
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.apiUrl = `http://127.0.0.1:${port}${target.pathname}`;
	}

	/** Holds requests whose path ends with `pathEnd` until `count` are waiting (or `timeoutMs`). */
	hold(pathEnd: string, count: number, timeoutMs: number): void {
		const timer = setTimeout(() => this.release(), timeoutMs);
		this.rule = { pathEnd, count, timer };
	}

	/** Runs `action` when the next request whose path ends with `pathEnd` arrives, then forwards it. */
	beforeNext(pathEnd: string, action: () => Promise<void>): void {
		this.hook = { pathEnd, action };
	}

	release(): void {
		if (this.rule) clearTimeout(this.rule.timer);
		this.rule = undefined;
		const waiting = this.held;
		this.held = [];
		this.released += waiting.length;
		for (const go of waiting) go();
	}

	async stop(): Promise<void> {
		this.release();
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}

/**
 * Another process holding the write lock of n8n's SQLite file, as a second n8n process does while
 * it saves something. n8n sets no busy timeout, so its own writes fail at once with SQLITE_BUSY.
 */
export class SqliteWriteLock {
	private constructor(private readonly child: ReturnType<typeof spawn>) {}

	static async take(databaseFile: string): Promise<SqliteWriteLock> {
		const child = spawn('sqlite3', [databaseFile], { stdio: ['pipe', 'pipe', 'inherit'] });
		const locked = new Promise<void>((resolve, reject) => {
			let out = '';
			child.stdout!.on('data', (chunk: Buffer) => {
				out += chunk.toString();
				if (out.includes('locked')) resolve();
			});
			child.on('exit', (code) => reject(new Error(`sqlite3 exited (${code}) before taking the lock`)));
		});
		child.stdin!.write(".timeout 10000\nBEGIN IMMEDIATE;\nSELECT 'locked';\n");
		await locked;
		return new SqliteWriteLock(child);
	}

	async release(): Promise<void> {
		const exited = new Promise<void>((resolve) => this.child.on('exit', () => resolve()));
		this.child.stdin!.end('COMMIT;\n.quit\n');
		await exited;
	}
}

// ---------------------------------------------------------------------------------------------
// What gets imported into n8n

/** A credential as `n8n import:credentials` takes it: plain-text data, encrypted on import. */
export function mdrCredential(
	id: string,
	sandbox: Sandbox,
	refreshToken: string,
	name = 'Kaspersky MDR (sandbox)',
	apiUrl = sandbox.apiUrl,
): object {
	return {
		id,
		name,
		type: rt.CREDENTIAL_TYPE,
		data: {
			clientId: sandbox.clientId,
			refreshToken,
			apiUrl,
			customCa: '',
			ignoreSslIssues: false,
		},
	};
}

export interface StepNode {
	name: string;
	type?: string;
	parameters: Record<string, unknown>;
	executeOnce?: boolean;
	alwaysOutputData?: boolean;
}

/** Manual Trigger → steps, in a line; every Kaspersky MDR node uses `credentialId`. */
export function linearWorkflow(id: string, name: string, credentialId: string, steps: StepNode[]): object {
	const nodes: object[] = [
		{
			id: randomUUID(),
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: Record<string, object> = {};
	let previous = 'Start';
	steps.forEach((step, index) => {
		const type = step.type ?? rt.NODE_TYPE;
		nodes.push({
			id: randomUUID(),
			name: step.name,
			type,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters: step.parameters,
			...(step.executeOnce ? { executeOnce: true } : {}),
			...(step.alwaysOutputData ? { alwaysOutputData: true } : {}),
			...(type.startsWith(rt.PACKAGE_NAME)
				? { credentials: { [rt.CREDENTIAL_TYPE]: { id: credentialId, name: 'Kaspersky MDR (sandbox)' } } }
				: {}),
		});
		connections[previous] = { main: [[{ node: step.name, type: 'main', index: 0 }]] };
		previous = step.name;
	});
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** `{ __rl, mode: 'id' }`, as the editor saves a resource locator set by ID. */
export function byId(value: string): object {
	return { __rl: true, mode: 'id', value };
}

/** The items a node produced in the run that `n8n execute` printed. */
export function nodeItems(run: any, nodeName: string): Array<{ json: any; binary?: any }> {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) return [];
	return runs[runs.length - 1]?.data?.main?.[0] ?? [];
}

/** The run's error as n8n reports it (message and description), if the run failed. */
export function runError(run: any): { message?: string; description?: string; node?: string } | undefined {
	const error = run?.data?.resultData?.error;
	if (!error) return undefined;
	return { message: error.message, description: error.description, node: error.node?.name };
}

/** An id in n8n's own shape (16 alphanumerics), unique per call. */
export function n8nId(): string {
	return randomUUID().replace(/-/g, '').slice(0, 16);
}

/** Explains a failed `n8n execute` without printing any token. */
export function explain(result: rt.ExecuteResult): string {
	const error = runError(result.run);
	return rt.redact(
		`exit ${result.code}; ${error ? `${error.node}: ${error.message} — ${error.description}` : 'no run error'}\n` +
			`log ${result.logFile}:\n${rt.tail(result.output, 30)}`,
	);
}
