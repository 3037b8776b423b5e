/**
 * Starting the local MDR sandbox for a test file, and credentials pointing at it.
 * The sandbox is plain JavaScript on the other side of the wire: tests reach it only over HTTP
 * (the API) or through its control functions (data, tokens, faults, counters).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { tokenFingerprint, readJwtExpiry } from '../../nodes/KasperskyMdr/transport/token';
import { CredentialStore } from './n8n';
import { registerToken } from './secrets';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox') as {
	startSandbox: (options?: Record<string, unknown>) => Promise<Sandbox>;
};

export interface SandboxCounters {
	endpoints: Record<
		string,
		{ received: number; faulted: number; performed: number; rejected: number }
	>;
	confirm: { ok: number; rejected: number };
	totals: { received: number; faulted: number; performed: number; rejected: number };
}

export interface Sandbox {
	url: string;
	apiUrl: string;
	controlUrl: string;
	clientId: string;
	connectionName: string;
	caPem?: string;
	caFile?: string;
	// The control functions are documented in sandbox/README.md.
	control: {
		mintRefreshToken(options?: { ttlSeconds?: number }): Promise<{ refreshToken: string }>;
		mintTokenPair(options?: {
			accessTtlSeconds?: number;
			refreshTtlSeconds?: number;
		}): Promise<{ accessToken: string; refreshToken: string }>;
		revokeTokens(options: Record<string, unknown>): Promise<unknown>;
		expireAccessTokens(): Promise<unknown>;
		checkToken(options: {
			refreshToken?: string;
			accessToken?: string;
		}): Promise<{ valid: boolean; reason: string }>;
		getCounters(): Promise<SandboxCounters>;
		resetCounters(): Promise<SandboxCounters>;
		getRequests(options?: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
		setConfig(partial: Record<string, unknown>): Promise<Record<string, unknown>>;
		getConfig(): Promise<Record<string, unknown>>;
		setFaults(spec: Record<string, unknown>): Promise<unknown>;
		clearFaults(): Promise<unknown>;
		[name: string]: (...args: never[]) => Promise<unknown>;
	};
	close(): Promise<void>;
}

export async function startTestSandbox(options: Record<string, unknown> = {}): Promise<Sandbox> {
	return await startSandbox({ port: 0, incidents: 50, assets: 10, ...options });
}

/** A credential as a user would save it: Client ID, a console refresh token, the API URL. */
export async function freshCredential(
	sandbox: Sandbox,
	extra: ICredentialDataDecryptedObject = {},
): Promise<CredentialStore> {
	const { refreshToken } = await sandbox.control.mintRefreshToken();
	registerToken(refreshToken);
	return new CredentialStore({
		clientId: sandbox.clientId,
		refreshToken,
		apiUrl: sandbox.apiUrl,
		...extra,
	});
}

/**
 * A credential that has been in use: a stored access token (valid for `accessTtlSeconds`, which
 * may be negative) and the refresh token issued with it, as preAuthentication stores them.
 */
export async function usedCredential(
	sandbox: Sandbox,
	accessTtlSeconds: number,
	extra: ICredentialDataDecryptedObject = {},
): Promise<CredentialStore> {
	const pair = await sandbox.control.mintTokenPair({ accessTtlSeconds });
	registerToken(pair.accessToken);
	registerToken(pair.refreshToken);
	return new CredentialStore({
		clientId: sandbox.clientId,
		apiUrl: sandbox.apiUrl,
		refreshToken: pair.refreshToken,
		accessToken: pair.accessToken,
		accessTokenExpiresAt: String(readJwtExpiry(pair.accessToken) ?? ''),
		accessTokenIssuedFor: tokenFingerprint(pair.refreshToken),
		sessionGate: '',
		...extra,
	});
}

export async function confirmCount(sandbox: Sandbox): Promise<{ ok: number; rejected: number }> {
	return (await sandbox.control.getCounters()).confirm;
}

export async function endpointCount(sandbox: Sandbox, path: string) {
	const counters = await sandbox.control.getCounters();
	return counters.endpoints[path] ?? { received: 0, faulted: 0, performed: 0, rejected: 0 };
}

/**
 * One sandbox for a test file: started before its tests, closed after them, with counters and
 * faults cleared before each test.
 */
export function useTestSandbox(options: Record<string, unknown> = {}): { sandbox: Sandbox } {
	const holder = {} as { sandbox: Sandbox };
	beforeAll(async () => {
		holder.sandbox = await startTestSandbox(options);
	});
	afterAll(async () => {
		await holder.sandbox.close();
	});
	beforeEach(async () => {
		await holder.sandbox.control.resetCounters();
		await holder.sandbox.control.clearFaults();
	});
	return holder;
}

/** Spends a refresh token over plain HTTP, as another n8n process or a script would. */
export async function spendElsewhere(
	sandbox: Sandbox,
	refreshToken: string,
): Promise<{ access_token: string; refresh_token: string }> {
	const response = await fetch(`${sandbox.apiUrl}/${sandbox.clientId}/session/confirm`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ refresh_token: refreshToken }),
	});
	const answer = (await response.json()) as { access_token: string; refresh_token: string };
	registerToken(answer.access_token);
	registerToken(answer.refresh_token);
	return answer;
}

/** The credential fields preAuthentication stores for a confirm's answer. */
export function storedSession(answer: { access_token: string; refresh_token: string }) {
	return {
		accessToken: answer.access_token,
		refreshToken: answer.refresh_token,
		accessTokenExpiresAt: String(readJwtExpiry(answer.access_token) ?? ''),
		accessTokenIssuedFor: tokenFingerprint(answer.refresh_token),
	};
}
