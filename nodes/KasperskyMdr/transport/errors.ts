export type MdrTokenErrorCode =
	| 'CREDENTIAL_INVALID'
	| 'REFRESH_TOKEN_MALFORMED'
	| 'REFRESH_TOKEN_EXPIRED'
	| 'REFRESH_TOKEN_REJECTED'
	| 'CONFIRM_UNANSWERED'
	| 'CONFIRM_INVALID_ANSWER';

/**
 * A problem with the credential or the refresh-token chain. Thrown from preAuthentication, so it
 * must explain itself without n8n's help; it never carries a token value.
 */
export class MdrTokenError extends Error {
	readonly mdrTokenErrorCode: MdrTokenErrorCode;

	readonly description: string;

	constructor(code: MdrTokenErrorCode, message: string, description: string) {
		super(message);
		this.name = 'MdrTokenError';
		this.mdrTokenErrorCode = code;
		this.description = description;
	}
}

/** n8n wraps what preAuthentication throws; find our error inside whatever arrives. */
export function findTokenError(error: unknown): MdrTokenError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { mdrTokenErrorCode?: unknown }).mdrTokenErrorCode;
		if (typeof code === 'string') {
			if (current instanceof MdrTokenError) return current;
			// The same class loaded from another copy of this package: rebuild it.
			const found = current as { message?: string; description?: string };
			return new MdrTokenError(code as MdrTokenErrorCode, found.message ?? '', found.description ?? '');
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

const MAX_DETAIL_LENGTH = 300;

function clip(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > MAX_DETAIL_LENGTH ? `${oneLine.slice(0, MAX_DETAIL_LENGTH)}…` : oneLine;
}

/** Whatever MDR or a proxy in front of it said, as one short readable line (or undefined). */
export function readErrorBody(body: Buffer | undefined, contentType: string | undefined): string | undefined {
	if (body === undefined || body.length === 0) return undefined;
	const text = body.toString('utf8');
	const trimmed = text.trim();
	if (trimmed === '') return undefined;

	if (trimmed.startsWith('{') || (contentType ?? '').includes('json')) {
		try {
			const parsed = JSON.parse(trimmed) as Record<string, unknown>;
			for (const key of ['message', 'error_description', 'error', 'detail', 'title']) {
				const value = parsed[key];
				if (typeof value === 'string' && value.trim() !== '') return clip(value);
				if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
					return clip((value as { message: string }).message);
				}
			}
			return clip(trimmed);
		} catch {
			return clip(trimmed);
		}
	}

	if (/^<!doctype html|^<html|<\/html>/i.test(trimmed) || (contentType ?? '').includes('html')) {
		const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
		const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(trimmed)?.[1];
		const label = (title ?? heading ?? '').replace(/<[^>]+>/g, '').trim();
		return label === '' ? 'an HTML page (probably from a proxy)' : `an HTML page: "${clip(label)}"`;
	}

	return clip(trimmed);
}

const STATUS_ADVICE: Record<number, string> = {
	400: 'MDR refused the request as invalid. Check the parameters of this node (IDs, dates, filters).',
	401: 'MDR did not accept the access token even after a refresh. Check that the API connection still exists in the MDR Web Console → Settings → API.',
	403: 'MDR refused access even after a token refresh. The API connection may lack the REST API role, the tenant may be outside its scope, or your MDR tier may not include the REST API.',
	404: 'MDR does not know this object or path. Check the ID, and check the API URL in the credential (normally https://mdr.kaspersky.com/api/v1).',
	409: 'MDR reports a conflict: the object changed or is in a state that does not allow this action.',
	413: 'The request is too large for MDR.',
	429: 'MDR is rate limiting this connection. Run fewer requests at a time or wait a minute.',
	500: 'MDR had an internal error. Try again later; if it persists, contact Kaspersky support.',
	502: 'A gateway in front of MDR failed. Try again later.',
	503: 'MDR is temporarily unavailable. Try again later.',
	504: 'A gateway in front of MDR timed out. Try again later.',
};

export function adviceForStatus(status: number): string {
	return (
		STATUS_ADVICE[status] ??
		(status >= 500 ? 'MDR failed on its side. Try again later.' : 'Check the parameters and the credential.')
	);
}

/** The Node.js network error code (ECONNRESET, ETIMEDOUT...) behind an error n8n may have wrapped. */
export function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		// axios reports its own request timeout as an aborted connection.
		if (code === 'ECONNABORTED' && /timeout/i.test(String((current as Error).message))) {
			return 'ETIMEDOUT';
		}
		if (typeof code === 'string' && code !== '' && !/^\d+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = error instanceof Error ? error.message : '';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	return undefined;
}

const NETWORK_PHRASES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'the connection was aborted',
	ECONNREFUSED: 'the connection was refused',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
	EPIPE: 'the connection broke',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	UND_ERR_SOCKET: 'the connection broke',
};

/**
 * A network error code in words. n8n replaces any error message that contains a raw Node.js
 * code (ECONNRESET...) with its own generic text, so our messages never carry the code itself.
 */
export function describeNetworkProblem(code: string | undefined): string {
	if (code === undefined) return 'no answer';
	return NETWORK_PHRASES[code] ?? 'the connection failed';
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A request's result or its failure as a value, so the caller decides what a failure means. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

/** The HTTP status MDR answered with, on an error the transport threw; undefined for other errors. */
export function httpStatusOf(error: unknown): number | undefined {
	const code = (error as { httpCode?: unknown } | null)?.httpCode;
	const status = typeof code === 'string' || typeof code === 'number' ? Number(code) : NaN;
	return Number.isInteger(status) ? status : undefined;
}
