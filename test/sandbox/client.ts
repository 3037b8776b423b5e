/**
 * A bare HTTP client for the sandbox tests: real requests with undici, no package code.
 */
import { request, type Dispatcher } from 'undici';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox') as {
	startSandbox: (options?: Record<string, unknown>) => Promise<SandboxHandle>;
};

/** Parsed JSON from the sandbox: tests assert on its shape, so it is left untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Control = Record<string, (...args: Json[]) => Promise<Json>>;

export interface SandboxHandle {
	url: string;
	apiUrl: string;
	controlUrl: string;
	clientId: string;
	connectionName: string;
	caPem?: string;
	caFile?: string;
	control: Control;
	close(): Promise<void>;
}

export interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	bytes: Buffer;
	json: Json;
}

export async function start(options: Record<string, unknown> = {}): Promise<SandboxHandle> {
	return await startSandbox({ port: 0, incidents: 60, assets: 12, ...options });
}

async function read(res: Dispatcher.ResponseData): Promise<Answer> {
	const bytes = Buffer.from(await res.body.arrayBuffer());
	const text = bytes.toString('utf8');
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, bytes, json };
}

/** POST {apiUrl}/{clientId}/{path} with a JSON body (or a prepared body and content type). */
export async function call(
	sandbox: SandboxHandle,
	path: string,
	body: unknown = {},
	options: {
		token?: string;
		clientId?: string;
		raw?: Buffer | string;
		contentType?: string;
		dispatcher?: Dispatcher;
	} = {},
): Promise<Answer> {
	const headers: Record<string, string> = {
		'content-type': options.contentType ?? 'application/json',
	};
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	const url = `${sandbox.apiUrl}/${encodeURIComponent(options.clientId ?? sandbox.clientId)}/${path}`;
	const res = await request(url, {
		method: 'POST',
		headers,
		body: options.raw ?? JSON.stringify(body),
		dispatcher: options.dispatcher,
	});
	return await read(res);
}

/** Confirms a fresh console refresh token: `{access_token, refresh_token}`. */
export async function session(
	sandbox: SandboxHandle,
): Promise<{ access_token: string; refresh_token: string }> {
	const { refreshToken } = await sandbox.control.mintRefreshToken();
	const answer = await call(sandbox, 'session/confirm', { refresh_token: refreshToken });
	if (answer.status !== 200) throw new Error(`confirm answered ${answer.status}`);
	return answer.json;
}

/** A call to the control HTTP API. */
export async function controlHttp(
	sandbox: SandboxHandle,
	method: string,
	route: string,
	body?: unknown,
): Promise<Answer> {
	const res = await request(`${sandbox.controlUrl}${route}`, {
		method: method as Dispatcher.HttpMethod,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await read(res);
}

/** Walks every page of a list and returns all items. */
export async function walk(
	sandbox: SandboxHandle,
	token: string,
	path: string,
	body: Record<string, unknown>,
	pageSize: number,
): Promise<Json[]> {
	const all: Json[] = [];
	for (let page = 1; ; page++) {
		const answer = await call(sandbox, path, { ...body, page, page_size: pageSize }, { token });
		if (answer.status !== 200)
			throw new Error(`${path} page ${page} answered ${answer.status}: ${answer.text}`);
		all.push(...answer.json);
		if (answer.json.length < pageSize) return all;
	}
}
