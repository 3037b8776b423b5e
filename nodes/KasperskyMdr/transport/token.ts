import { createHash } from 'crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	CONSOLE_HINT,
	DEFAULT_API_URL,
	checkApiUrl,
	checkClientId,
	describeTlsFailure,
	endpointUrl,
	tlsOptions,
	type MdrCredentials,
} from './connection';
import { MdrTokenError, describeNetworkProblem, networkCode, readErrorBody, settle } from './errors';

/**
 * The MDR refresh-token chain.
 *
 * Every `session/confirm` spends the refresh token it is given and answers with its only successor.
 * This module decides when a confirm is needed, makes sure one refresh token is spent at most once
 * per n8n process (single-flight), and returns what n8n must store. It knows nothing about nodes
 * or items: the credential's preAuthentication and the transport both call it.
 */

/** Refresh this long before the access token's `exp`, so a request never leaves with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** Lifetime assumed for an access token whose `exp` cannot be read (Kaspersky's most careful figure). */
const FALLBACK_ACCESS_LIFETIME_MS = 30 * 60_000;

/** How long a spent refresh token's result is remembered for late callers that still hold it. */
export const SPENT_MEMORY_MS = 15 * 60_000;

/** How long a rejection is remembered, so a burst of callers with a dead token makes one call. */
const REJECTION_MEMORY_MS = 30_000;

const CONFIRM_TIMEOUT_MS = 30_000;
const CONFIRM_RETRY_WAITS_MS = [1_000, 3_000];

export type HttpRequester = (options: IHttpRequestOptions) => Promise<unknown>;

/** What a successful confirm gives, in the form stored on the credential. */
export interface MdrSession {
	accessToken: string;
	refreshToken: string;
	/** Milliseconds since 1970, as text: n8n 1.x can only redact text in password fields. */
	accessTokenExpiresAt: string;
	accessTokenIssuedFor: string;
}

interface Flight {
	startedAt: number;
	settledAt?: number;
	failed?: boolean;
	promise: Promise<MdrSession>;
}

const flights = new Map<string, Flight>();

/**
 * The last token error per refresh token. n8n 1.x wraps what preAuthentication throws in an error
 * that keeps only its text, so the transport looks the error up here by the token it sent.
 */
const recentErrors = new Map<string, { at: number; error: MdrTokenError }>();

const RECENT_ERROR_MEMORY_MS = 60_000;

function remember(refreshToken: unknown, error: unknown): void {
	if (!(error instanceof MdrTokenError)) return;
	const now = Date.now();
	for (const [key, entry] of recentErrors) {
		if (now - entry.at > RECENT_ERROR_MEMORY_MS) recentErrors.delete(key);
	}
	recentErrors.set(tokenFingerprint(typeof refreshToken === 'string' ? refreshToken : ''), { at: now, error });
}

/** The token error raised for this refresh token since `sinceMs`, if any. */
export function tokenErrorSince(refreshToken: unknown, sinceMs: number): MdrTokenError | undefined {
	const entry = recentErrors.get(tokenFingerprint(typeof refreshToken === 'string' ? refreshToken : ''));
	return entry !== undefined && entry.at >= sinceMs ? entry.error : undefined;
}

/** A stable, one-way name for a token: safe to store and compare, useless to an attacker. */
export function tokenFingerprint(token: string): string {
	return createHash('sha256').update(token.trim()).digest('hex').slice(0, 32);
}

function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
	const parts = token.split('.');
	if (parts.length !== 3 || parts[1] === '') return undefined;
	try {
		const json = Buffer.from(parts[1], 'base64url').toString('utf8');
		const payload: unknown = JSON.parse(json);
		return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The token's `exp` in milliseconds, or undefined when the token is not a JWT or has no `exp`. */
export function readJwtExpiry(token: string): number | undefined {
	const exp = decodeJwtPayload(token)?.exp;
	return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

function formatDate(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function storedExpiry(credentials: MdrCredentials): number | undefined {
	const access = credentials.accessToken ?? '';
	const fromJwt = readJwtExpiry(access);
	if (fromJwt !== undefined) return fromJwt;
	const stored = Number(credentials.accessTokenExpiresAt);
	return Number.isFinite(stored) && stored > 0 ? stored : undefined;
}

/**
 * A refresh is needed when there is no access token, when it expires within the margin, or when
 * it was issued for another refresh token than the stored one (someone pasted a new token).
 */
export function needsRefresh(credentials: MdrCredentials, now = Date.now()): boolean {
	const access = (credentials.accessToken ?? '').trim();
	if (access === '') return true;
	if (credentials.accessTokenIssuedFor !== tokenFingerprint(credentials.refreshToken ?? '')) return true;
	const expiresAt = storedExpiry(credentials);
	return expiresAt === undefined || expiresAt - now <= REFRESH_MARGIN_MS;
}

function checkRefreshToken(value: unknown, now: number): string {
	const token = typeof value === 'string' ? value.trim() : '';
	if (token === '') {
		throw new MdrTokenError(
			'REFRESH_TOKEN_MALFORMED',
			'The Kaspersky MDR credential has no refresh token',
			`Create an API connection (or a new token for it) in the ${CONSOLE_HINT}, then paste the refresh token into the credential.`,
		);
	}
	const payload = decodeJwtPayload(token);
	if (payload === undefined) {
		throw new MdrTokenError(
			'REFRESH_TOKEN_MALFORMED',
			'The refresh token in the Kaspersky MDR credential is not an MDR token',
			`An MDR refresh token is a long text of three parts separated by dots. Copy it again, completely, from the ${CONSOLE_HINT}.`,
		);
	}
	const expiresAt = readJwtExpiry(token);
	if (expiresAt !== undefined && expiresAt <= now) {
		throw new MdrTokenError(
			'REFRESH_TOKEN_EXPIRED',
			`The MDR refresh token expired on ${formatDate(expiresAt)}`,
			`Create a new refresh token in the ${CONSOLE_HINT} and paste it into the credential. Tokens from the console are valid for 24 hours; tokens rotated by n8n for 7 days, so a workflow must run at least once a week to keep the chain alive.`,
		);
	}
	return token;
}

function prune(now: number): void {
	for (const [key, flight] of flights) {
		if (flight.settledAt === undefined) continue;
		const memory = flight.failed ? REJECTION_MEMORY_MS : SPENT_MEMORY_MS;
		if (now - flight.settledAt > memory) flights.delete(key);
	}
}

/**
 * A late caller may hold a token whose successor was spent in turn: walk to the newest session
 * this process knows, so nothing older than that is ever written back.
 */
async function newestSession(session: MdrSession): Promise<MdrSession> {
	let current = session;
	for (let hops = 0; hops < 50; hops++) {
		const next = flights.get(tokenFingerprint(current.refreshToken));
		if (next === undefined) break;
		try {
			current = await next.promise;
		} catch {
			break;
		}
	}
	return current;
}

/**
 * Spends `credentials.refreshToken` through session/confirm, at most once per process: concurrent
 * callers share the one confirm, and late callers get its result instead of making another.
 */
export async function spendRefreshToken(
	httpRequest: HttpRequester,
	credentials: MdrCredentials,
): Promise<MdrSession> {
	const now = Date.now();
	prune(now);

	const refreshToken = typeof credentials.refreshToken === 'string' ? credentials.refreshToken.trim() : '';
	const key = tokenFingerprint(refreshToken);
	const known = flights.get(key);
	if (known !== undefined) return await newestSession(await known.promise);

	checkRefreshToken(refreshToken, now);
	const flight: Flight = {
		startedAt: now,
		promise: confirm(httpRequest, credentials, refreshToken),
	};
	flights.set(key, flight);
	flight.promise.then(
		() => {
			flight.settledAt = Date.now();
		},
		(error: unknown) => {
			flight.settledAt = Date.now();
			flight.failed = true;
			// An unanswered confirm may not have reached MDR: let the next attempt try the token again.
			if (error instanceof MdrTokenError && error.mdrTokenErrorCode !== 'REFRESH_TOKEN_REJECTED') {
				flights.delete(key);
			}
		},
	);
	return await flight.promise;
}

/**
 * The newest session this process holds for a refresh token it has already spent, or undefined
 * when it never spent that token (or the confirm failed or is still under way).
 */
async function successorOf(refreshToken: unknown): Promise<MdrSession | undefined> {
	const token = typeof refreshToken === 'string' ? refreshToken.trim() : '';
	const flight = flights.get(tokenFingerprint(token));
	if (flight === undefined || flight.settledAt === undefined || flight.failed) return undefined;
	return await newestSession(await flight.promise);
}

/**
 * Sessions returned by preAuthentication for which n8n has not yet called `authenticate`, keyed
 * by the credential object n8n passes to both. n8n authenticates a request only after it has
 * stored what preAuthentication returned, so an entry left here after a failed request means
 * n8n could not save the rotation, and the request itself was never sent.
 */
const awaitingStore = new WeakMap<object, MdrSession>();

/** Called by the credential's `authenticate`: n8n got past storing the session. */
export function markStored(credentials: object): void {
	awaitingStore.delete(credentials);
}

/** Whether n8n failed to store the session that preAuthentication returned for this object. */
export function rotationUnsaved(credentials: object): boolean {
	return awaitingStore.has(credentials);
}

/** Forgets every spent token (tests and benchmarks start each case from a clean process state). */
export function forgetSpentTokens(): void {
	flights.clear();
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer | undefined;
}

const UNDELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function redact(text: string | undefined, secret: string): string | undefined {
	return text === undefined ? undefined : text.split(secret).join('[redacted]');
}

async function confirm(
	httpRequest: HttpRequester,
	credentials: MdrCredentials,
	refreshToken: string,
): Promise<MdrSession> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: endpointUrl(credentials, 'session/confirm'),
		body: { refresh_token: refreshToken },
		json: true,
		headers: { Accept: 'application/json' },
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: CONFIRM_TIMEOUT_MS,
		...tlsOptions(credentials),
	};

	let lastProblem = '';
	let unansweredBefore = false;
	for (let attempt = 0; attempt <= CONFIRM_RETRY_WAITS_MS.length; attempt++) {
		if (attempt > 0) await sleep(CONFIRM_RETRY_WAITS_MS[attempt - 1]);
		const attemptResult = await settle(httpRequest({ ...options }));
		if (!attemptResult.ok) {
			const code = networkCode(attemptResult.error);
			const tls = describeTlsFailure(code, credentials);
			if (tls) {
				throw new MdrTokenError('CREDENTIAL_INVALID', tls.message, `${tls.description} The refresh token was not sent.`);
			}
			if (code !== undefined && UNDELIVERED_CODES.has(code)) {
				throw new MdrTokenError(
					'CONFIRM_UNANSWERED',
					`Could not connect to MDR at ${checkApiUrl(credentials.apiUrl)}: ${describeNetworkProblem(code)}`,
					'Check the API URL in the credential and the network path from n8n to MDR. The refresh token was not sent, so it is still valid.',
				);
			}
			lastProblem = describeNetworkProblem(code);
			unansweredBefore = true;
			continue;
		}

		const response = attemptResult.value as RawResponse;
		const status = response.statusCode;
		if (status === 429 || status >= 500) {
			lastProblem = `HTTP ${status}`;
			// A server error may come after MDR already rotated the token; a throttled call did not.
			unansweredBefore ||= status >= 500;
			continue;
		}
		if ((status < 200 || status >= 300) && unansweredBefore) {
			throw new MdrTokenError(
				'REFRESH_TOKEN_REJECTED',
				`MDR used up the refresh token, but its answer was lost on the way (${lastProblem})`,
				`The connection dropped after MDR rotated the token, so the new refresh token never reached n8n and the stored one no longer works. Create a new refresh token in the ${CONSOLE_HINT} and paste it into the credential.`,
			);
		}
		if (status === 404 || status === 405) {
			const said = redact(readErrorBody(response.body, String(response.headers['content-type'] ?? '')), refreshToken);
			throw new MdrTokenError(
				'CREDENTIAL_INVALID',
				`MDR's token endpoint was not found at ${checkApiUrl(credentials.apiUrl)} for this Client ID (${status})`,
				`${said ? `The server said: ${said}. ` : ''}Check the API URL (normally ${DEFAULT_API_URL}) and the Client ID in the credential. The refresh token was not used, so it is still valid.`,
			);
		}
		if (status < 200 || status >= 300) {
			const said = redact(readErrorBody(response.body, String(response.headers['content-type'] ?? '')), refreshToken);
			throw new MdrTokenError(
				'REFRESH_TOKEN_REJECTED',
				'MDR rejected the refresh token: it was already used, has expired, or was revoked',
				`MDR answered ${status}${said ? ` (${said})` : ''}. MDR refresh tokens work only once and n8n stores each new one automatically, so this usually means the token was used elsewhere or the credential was saved with an old token. Create a new refresh token in the ${CONSOLE_HINT} and paste it into the credential. If this happens right after a 404, check the API URL and the Client ID.`,
			);
		}
		return readSession(response, refreshToken);
	}

	throw new MdrTokenError(
		'CONFIRM_UNANSWERED',
		`MDR did not answer the token refresh (${lastProblem})`,
		`If MDR received it, the stored refresh token is now used up and its successor was lost on the way. Run the workflow once more: if it then reports "MDR rejected the refresh token", create a new refresh token in the ${CONSOLE_HINT} and paste it into the credential.`,
	);
}

function readSession(response: RawResponse, spentToken: string): MdrSession {
	let answer: IDataObject | undefined;
	try {
		answer = JSON.parse((response.body ?? Buffer.alloc(0)).toString('utf8')) as IDataObject;
	} catch {
		answer = undefined;
	}
	const accessToken = typeof answer?.access_token === 'string' ? answer.access_token.trim() : '';
	const refreshToken = typeof answer?.refresh_token === 'string' ? answer.refresh_token.trim() : '';
	if (accessToken === '' || refreshToken === '' || refreshToken === spentToken) {
		throw new MdrTokenError(
			'CONFIRM_INVALID_ANSWER',
			'MDR answered the token refresh without a new access token and refresh token',
			`Check that the API URL in the credential points at MDR itself (normally https://mdr.kaspersky.com/api/v1), not at a proxy page. The old refresh token may be used up: if the next run reports "MDR rejected the refresh token", create a new one in the ${CONSOLE_HINT}.`,
		);
	}
	return {
		accessToken,
		refreshToken,
		accessTokenExpiresAt: String(readJwtExpiry(accessToken) ?? Date.now() + FALLBACK_ACCESS_LIFETIME_MS),
		accessTokenIssuedFor: tokenFingerprint(refreshToken),
	};
}

/**
 * The body of the credential's preAuthentication: `{}` when the stored access token is good
 * (n8n then writes nothing), otherwise the new session plus the empty expirable gate, which makes
 * n8n store the rotated refresh token.
 */
export async function prepareSession(
	httpRequest: HttpRequester,
	credentials: MdrCredentials,
): Promise<IDataObject> {
	const result = await settle(
		(async () => {
			checkClientId(credentials.clientId);
			checkApiUrl(credentials.apiUrl);
			tlsOptions(credentials);
			// A token this process already spent means an earlier store did not land (or a stale copy
			// was saved): store its successor again instead of leaving a dead token in the credential.
			const session =
				(await successorOf(credentials.refreshToken)) ??
				(needsRefresh(credentials) ? await spendRefreshToken(httpRequest, credentials) : undefined);
			if (session === undefined) return {};
			awaitingStore.set(credentials, session);
			return { ...session, sessionGate: '' };
		})(),
	);
	if (result.ok) return result.value;
	remember(credentials.refreshToken, result.error);
	throw result.error;
}
