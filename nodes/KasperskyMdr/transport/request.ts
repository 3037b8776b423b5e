import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	CONSOLE_HINT,
	CREDENTIAL_TYPE,
	describeTlsFailure,
	endpointUrl,
	tlsOptions,
	type MdrCredentials,
} from './connection';
import {
	adviceForStatus,
	describeNetworkProblem,
	findTokenError,
	networkCode,
	readErrorBody,
	settle,
	type MdrTokenError,
} from './errors';
import { encodeMultipart, type MultipartFile } from './multipart';
import { retryDelay, type RetryPolicy, DEFAULT_READ_POLICY } from './retry';
import { SPENT_MEMORY_MS, rotationUnsaved, tokenErrorSince } from './token';

/** Anything that can call MDR: the action node, the trigger, and dropdown loaders. */
export type MdrContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface MdrRequest {
	/** Path under the client, such as `incidents/list`. */
	path: string;
	body?: IDataObject;
	/** Reads are retried on throttling and transient failures; writes get exactly one attempt. */
	kind: 'read' | 'write';
	/** Upload: sent as multipart/form-data with a `file` part and a JSON `meta` part. */
	multipart?: { file: MultipartFile; meta: IDataObject };
	timeoutMs?: number;
	retry?: RetryPolicy;
	itemIndex?: number;
}

export interface MdrBinaryAnswer {
	data: Buffer;
	contentType?: string;
	fileName?: string;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** After a rejected refresh, another process may be about to store its rotation: look again. */
const REREAD_WAITS_MS = [0, 250, 500, 1_000, 2_000];

/** When n8n's database refuses to store a rotation (a busy SQLite file, a dropped connection). */
const STORE_RETRY_WAITS_MS = [250, 500, 1_000, 2_000, 4_000];

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

function header(response: RawResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function apiError(
	context: MdrContext,
	message: string,
	description: string,
	extra: { httpCode?: string; itemIndex?: number } = {},
): NodeApiError {
	// Built from plain text only: n8n's own errors carry the request, and with it the access token.
	const error = new NodeApiError(context.getNode(), { message, description } as JsonObject, {
		message,
		description,
		httpCode: extra.httpCode,
		itemIndex: extra.itemIndex,
	});
	return error;
}

function tokenFailure(context: MdrContext, error: MdrTokenError, itemIndex?: number): NodeApiError {
	return apiError(context, error.message, error.description, { itemIndex });
}

async function readCredentials(context: MdrContext): Promise<MdrCredentials> {
	return (await context.getCredentials(CREDENTIAL_TYPE)) as unknown as MdrCredentials;
}

/**
 * One HTTP exchange through n8n's authenticated request helper. The credential object is passed
 * explicitly so that, afterwards, it shows which access token the request actually carried.
 */
async function exchange(
	context: MdrContext,
	credentials: MdrCredentials,
	options: IHttpRequestOptions,
): Promise<RawResponse> {
	return (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, {
		credentialsDecrypted: {
			id: '',
			name: '',
			type: CREDENTIAL_TYPE,
			data: credentials as unknown as IDataObject,
		},
	} as never)) as RawResponse;
}

function buildOptions(credentials: MdrCredentials, request: MdrRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: endpointUrl(credentials, request.path),
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		headers: { Accept: 'application/json' },
		...tlsOptions(credentials),
	};
	if (request.multipart) {
		const { body, contentType } = encodeMultipart(request.multipart.file, request.multipart.meta);
		options.body = body;
		options.headers = { ...options.headers, 'Content-Type': contentType };
	} else {
		options.body = request.body ?? {};
		options.json = true;
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
	}
	return options;
}

type Exchange = { response: RawResponse } | { networkError: unknown };

/**
 * Sends one request with the token rules applied:
 * - 401/403 once per request: re-read the credential; if another caller already refreshed, use its token,
 *   otherwise force one refresh (shared with every concurrent caller of this process);
 * - a rejected refresh: re-read the credential for a short while, since another n8n process may
 *   have rotated the token and be about to store it; carry on with its token when it appears.
 * Token problems are thrown as final errors; a network failure is returned for the retry logic.
 */
async function sendAuthenticated(
	context: MdrContext,
	request: MdrRequest,
	options: IHttpRequestOptions,
	initial: MdrCredentials,
	auth: { retried: boolean },
): Promise<Exchange> {
	let credentials = { ...initial };
	let rotationAwaited = false;
	let storeRetries = 0;

	for (;;) {
		const sentAt = Date.now();
		const result = await settle(exchange(context, credentials, { ...options }));
		if (!result.ok) {
			if (rotationUnsaved(credentials)) {
				// MDR rotated the token but n8n could not save it, so the request never left. The next
				// attempt stores the successor this process holds again, without another confirm.
				const reason = storeProblem(result.error);
				if (storeRetries === STORE_RETRY_WAITS_MS.length) throw storeFailure(context, request, reason);
				const wait = STORE_RETRY_WAITS_MS[storeRetries++];
				context.logger.warn(
					`Kaspersky MDR: n8n could not save the rotated refresh token (${reason}); saving it again in ${wait} ms`,
				);
				await sleep(wait);
				credentials = await readCredentials(context);
				continue;
			}
			const tokenError =
				findTokenError(result.error) ?? tokenErrorSince(credentials.refreshToken, sentAt);
			if (tokenError === undefined) return { networkError: result.error };
			if (tokenError.mdrTokenErrorCode !== 'REFRESH_TOKEN_REJECTED' || rotationAwaited) {
				throw tokenFailure(context, tokenError, request.itemIndex);
			}
			rotationAwaited = true;
			const rotated = await awaitRotationElsewhere(context, credentials.refreshToken);
			if (rotated === undefined) throw tokenFailure(context, tokenError, request.itemIndex);
			credentials = rotated;
			continue;
		}

		const response = result.value;
		if ((response.statusCode === 401 || response.statusCode === 403) && !auth.retried) {
			auth.retried = true;
			const usedAccessToken = credentials.accessToken;
			const stored = await readCredentials(context);
			const refreshedMeanwhile = stored.accessToken !== '' && stored.accessToken !== usedAccessToken;
			credentials = refreshedMeanwhile ? { ...stored } : { ...stored, accessToken: '' };
			continue;
		}
		return { response };
	}
}

async function awaitRotationElsewhere(
	context: MdrContext,
	rejectedToken: string,
): Promise<MdrCredentials | undefined> {
	for (const wait of REREAD_WAITS_MS) {
		if (wait > 0) await sleep(wait);
		const stored = await readCredentials(context);
		if ((stored.refreshToken ?? '').trim() !== (rejectedToken ?? '').trim()) return { ...stored };
	}
	return undefined;
}

/** What n8n's database said when it refused a write (n8n wraps it in its own error). */
function storeProblem(error: unknown): string {
	const cause = (error as { cause?: unknown }).cause;
	const said = [cause, error].map((e) => (e instanceof Error ? e.message : '')).find((m) => m !== '');
	return said ? said.slice(0, 200) : 'no reason given';
}

function storeFailure(context: MdrContext, request: MdrRequest, reason: string): NodeApiError {
	return apiError(
		context,
		'MDR issued a new refresh token, but n8n could not save it to the credential',
		`n8n's database refused the write (${reason}), so the credential still holds the used-up token and ${request.path} was not sent. This n8n process keeps the new token for ${SPENT_MEMORY_MS / 60_000} minutes and saves it with its next MDR request: run the workflow again soon, on this same n8n instance. If n8n has restarted meanwhile, or this ran from "n8n execute", create a new refresh token in the ${CONSOLE_HINT} and paste it into the credential. Several n8n processes on one SQLite file cause this: use PostgreSQL for them.`,
		{ itemIndex: request.itemIndex },
	);
}

function failureFor(context: MdrContext, request: MdrRequest, response: RawResponse): NodeApiError {
	const status = response.statusCode;
	const said = readErrorBody(response.body, header(response, 'content-type'));
	const message = `MDR answered ${status} to ${request.path}${said ? `: ${said}` : ''}`;
	const uncertain = request.kind === 'write' && status >= 500;
	const advice = uncertain
		? 'MDR or a gateway in front of it failed while handling this change, so it may or may not have been applied. It was sent once and not repeated: check the incident in MDR before running this step again.'
		: adviceForStatus(status);
	return apiError(context, message, advice, {
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
}

/** A failure that is not an HTTP answer: certificate, unreachable host, reset, timeout. */
function networkFailure(
	context: MdrContext,
	request: MdrRequest,
	credentials: MdrCredentials,
	error: unknown,
): { retryable: boolean; error: NodeApiError; problem: string } {
	const code = networkCode(error);
	const problem = describeNetworkProblem(code);
	const tls = describeTlsFailure(code, credentials);
	if (tls) {
		return { retryable: false, problem, error: apiError(context, tls.message, tls.description, request) };
	}
	if (code === undefined || !RETRYABLE_NETWORK_CODES.has(code)) {
		const reason = error instanceof Error ? error.message : String(error);
		return {
			retryable: false,
			problem,
			error: apiError(
				context,
				`The request to MDR failed during ${request.path}: ${problem}`,
				`${reason}. Check the API URL in the credential and the network path from n8n to MDR.`,
				request,
			),
		};
	}
	if (request.kind === 'write') {
		return {
			retryable: false,
			problem,
			error: apiError(
				context,
				`The connection to MDR failed during ${request.path} (${problem}): MDR may or may not have applied this change`,
				'The change was sent once and not repeated. Check the incident in MDR before running this step again.',
				request,
			),
		};
	}
	return {
		retryable: true,
		problem,
		error: apiError(
			context,
			`MDR could not be reached for ${request.path}: ${problem}`,
			'The request was retried until its time budget ran out. Check the network path from n8n to MDR and try again later.',
			request,
		),
	};
}

async function prepare(
	context: MdrContext,
	request: MdrRequest,
): Promise<{ credentials: MdrCredentials; options: IHttpRequestOptions }> {
	const credentials = await readCredentials(context);
	const built = await settle(Promise.resolve().then(() => buildOptions(credentials, request)));
	if (!built.ok) {
		const tokenError = findTokenError(built.error);
		if (tokenError) throw tokenFailure(context, tokenError, request.itemIndex);
		throw new NodeApiError(context.getNode(), built.error as JsonObject, { itemIndex: request.itemIndex });
	}
	return { credentials, options: built.value };
}

/**
 * The one door to the MDR API. Returns the raw answer of a successful (2xx) call, after the
 * token rules, retries for reads, and error shaping.
 */
async function call(context: MdrContext, request: MdrRequest): Promise<RawResponse> {
	const { credentials, options } = await prepare(context, request);
	const policy = request.kind === 'read' ? (request.retry ?? DEFAULT_READ_POLICY) : undefined;
	const startedAt = Date.now();
	// One forced refresh per request, however many times a read is retried.
	const auth = { retried: false };

	for (let attempt = 0; ; attempt++) {
		// A retry reads the credential again: an earlier attempt may have stored a new access token.
		const current = attempt === 0 ? credentials : await readCredentials(context);
		const outcome = await sendAuthenticated(context, request, options, current, auth);
		let failure: NodeApiError;
		let retryAfter: string | undefined;

		if ('response' in outcome) {
			const { response } = outcome;
			if (response.statusCode >= 200 && response.statusCode < 300) return response;
			failure = failureFor(context, request, response);
			if (policy === undefined || !RETRYABLE_STATUS.has(response.statusCode)) throw failure;
			retryAfter = header(response, 'retry-after');
		} else {
			const network = networkFailure(context, request, credentials, outcome.networkError);
			if (!network.retryable || policy === undefined) throw network.error;
			failure = network.error;
		}

		const delay = retryDelay(policy, attempt, retryAfter, Date.now() - startedAt);
		if (delay === undefined) {
			transientFailures.add(failure);
			throw failure;
		}
		await sleep(delay);
	}
}

/** Failures of reads that throttling or an outage outlasted: trying again later may succeed. */
const transientFailures = new WeakSet<object>();

/**
 * Whether a read failed only because MDR stayed throttled or unavailable for the whole retry
 * budget (as opposed to a token, parameter or permission problem).
 */
export function isTransientFailure(error: unknown): boolean {
	return typeof error === 'object' && error !== null && transientFailures.has(error);
}

/** Calls MDR and parses its JSON answer. */
export async function mdrRequest<T = unknown>(context: MdrContext, request: MdrRequest): Promise<T> {
	const response = await call(context, request);
	const text = (response.body ?? Buffer.alloc(0)).toString('utf8');
	if (text.trim() === '') return {} as T;
	try {
		return JSON.parse(text) as T;
	} catch {
		const said = readErrorBody(response.body, 'text/html');
		throw apiError(
			context,
			`MDR answered ${request.path} with something that is not JSON${said ? ` (${said})` : ''}`,
			'Check the API URL in the credential: it should point at the MDR REST API (normally https://mdr.kaspersky.com/api/v1), not at a web page or a proxy login page.',
			{ itemIndex: request.itemIndex },
		);
	}
}

/** Calls MDR and returns the raw bytes of the answer (attachment download). */
export async function mdrDownload(context: MdrContext, request: MdrRequest): Promise<MdrBinaryAnswer> {
	const response = await call(context, request);
	const disposition = header(response, 'content-disposition') ?? '';
	const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
	const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
	let fileName: string | undefined;
	try {
		fileName = encoded ? decodeURIComponent(encoded) : plain;
	} catch {
		fileName = plain;
	}
	return {
		data: response.body ?? Buffer.alloc(0),
		contentType: header(response, 'content-type'),
		fileName,
	};
}
