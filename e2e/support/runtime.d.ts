/** Types of runtime.js (plain CommonJS so that the playground can use it without a compiler). */
import type { ChildProcess } from 'child_process';

export const ROOT: string;
export const PACKAGE_NAME: string;
export const NODE_TYPE: string;
export const TRIGGER_TYPE: string;
export const CREDENTIAL_TYPE: string;
export const N8N_LINES: Record<'1' | '2', { version: string; node: number }>;

export function redact(text: unknown): string;
export function tail(text: unknown, lines?: number): string;
export function spawnLogged(
	command: string,
	args: string[],
	options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ChildProcess & { exited: Promise<{ code: number | null; signal: string | null }> };
export function stopProcess(child: ChildProcess, graceMs?: number): Promise<void>;
export function stopAll(): Promise<void>;
export function sleep(ms: number): Promise<void>;
export function waitFor<T>(
	check: () => T | Promise<T>,
	options: { timeoutMs: number; intervalMs?: number; describe?: () => string },
): Promise<T>;
export function freePort(): Promise<number>;
export function installN8n(version: string): string;
export function installedN8n(version: string): string | undefined;
export function buildAndPack(outDir: string): string;
export function prepareUserFolder(userFolder: string, tarball: string): string;
export function extractJson(text: string, marker?: string): any;

export interface CliResult {
	code: number | null;
	signal: string | null;
	output: string;
	logFile: string;
	ms: number;
}

export interface ExecuteResult extends CliResult {
	ok: boolean;
	/** The run data n8n printed (IRun), when it printed one. */
	run: any;
}

export class N8n {
	constructor(options: {
		installDir: string;
		userFolder: string;
		encryptionKey: string;
		logDir?: string;
		env?: Record<string, string>;
	});
	installDir: string;
	userFolder: string;
	logDir: string;
	readonly major: number;
	server?: { child: ChildProcess; baseUrl: string; logFile: string };
	env(extra?: Record<string, string>): NodeJS.ProcessEnv;
	cli(
		args: string[],
		options?: { label?: string; timeoutMs?: number; allowFailure?: boolean },
	): Promise<CliResult>;
	migrate(): Promise<void>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	exportCredential(id: string): Promise<{ id: string; name: string; type: string; data: any }>;
	execute(workflowId: string, options?: { label?: string; timeoutMs?: number }): Promise<ExecuteResult>;
	start(options?: { port?: number; timeoutMs?: number; env?: Record<string, string> }): Promise<string>;
	serverLog(): string;
	stop(): Promise<void>;
	activateWorkflow(id: string): Promise<void>;
}

export class N8nRest {
	constructor(baseUrl: string);
	baseUrl: string;
	cookie: string;
	browserId: string;
	request<T = any>(method: string, route: string, body?: unknown): Promise<T>;
	setupOwner(owner: { email: string; password: string; firstName?: string; lastName?: string }): Promise<any>;
	login(login: { email: string; password: string }): Promise<any>;
}

export class SandboxProcess {
	static start(options?: { logFile?: string; args?: string[]; timeoutMs?: number }): Promise<SandboxProcess>;
	apiUrl: string;
	controlUrl: string;
	clientId: string;
	url: string;
	connectionName: string;
	logFile: string;
	control<T = any>(method: string, route: string, body?: unknown): Promise<T>;
	stop(): Promise<void>;
}
