'use strict';

// The MDR side of the server: one request's way from the socket to an answer, with request
// logging, counters, fault injection and access-token checks around the endpoint handlers.

const routes = require('./api');
const { ApiError, notFound, renderError } = require('./errors');
const { parseMultipart } = require('./multipart');
const { readBody, send, sendJson, contentDisposition, BodyTooLargeError } = require('./http-io');
const { describeBody, describeHeaders } = require('./request-log');

const { FAULT_KINDS } = require('./faults');

const JSON_LIMIT = 10 * 1024 * 1024;
// Faults that stand in for the answer; `delay` and `drop-after` wrap a normal one instead.
const PRE_FAULTS = new Set(FAULT_KINDS.filter((kind) => kind !== 'delay' && kind !== 'drop-after'));
const PRE_FAULT_ERRORS = {
	401: ['unauthorized', 'The access token is not accepted'],
	403: ['forbidden', 'The API connection may not do this'],
	429: ['rate_limited', 'Too many requests, slow down'],
	500: ['server_error', 'The service is temporarily unable to answer'],
};

// What a captive portal or a misrouted proxy might answer with a 200.
const GARBAGE_PAGE =
	'<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Network access</h1>' +
	'<p>Please sign in to continue.</p><form method="post"><input name="user"></form></body></html>';

function createMdrHandler(ctx) {
	const { clock, store, tokens, counters, requestLog, faults } = ctx;

	function parseJsonBody(raw) {
		if (raw.length === 0) return {};
		let body;
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			throw new ApiError(400, 'bad_request', 'The request body must be a JSON object');
		}
		return body;
	}

	async function authorize(req, config) {
		const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '');
		if (!bearer) {
			throw new ApiError(401, 'unauthorized', 'A bearer access token is required', {
				'WWW-Authenticate': 'Bearer',
			});
		}
		const check = await tokens.checkAccess(bearer[1]);
		if (check.ok) return;
		if (check.reason === 'expired') {
			throw new ApiError(
				config.expiredAccessStatus,
				'token_expired',
				'The access token has expired',
				{
					'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"',
				},
			);
		}
		throw new ApiError(401, 'invalid_token', 'The access token is not valid', {
			'WWW-Authenticate': 'Bearer error="invalid_token"',
		});
	}

	function sendError(res, config, error) {
		const rendered = renderError(config.errorFormat, error.status, error.code, error.message);
		send(res, error.status, { ...rendered, headers: error.headers, date: clock.now() });
	}

	function sendResult(res, result) {
		const date = clock.now();
		if (result.kind === 'json') return sendJson(res, 200, result.value, date);
		if (result.kind === 'empty') return send(res, 200, { date });
		const headers = { 'Content-Disposition': contentDisposition(result.fileName) };
		if (result.kind === 'bytes') {
			const contentType = 'application/octet-stream';
			return send(res, 200, { contentType, body: result.buffer, headers, date });
		}
		res.writeHead(200, {
			...headers,
			'Content-Type': 'application/octet-stream',
			'Content-Length': result.size,
			Date: new Date(date).toUTCString(),
		});
		result.readable.pipe(res);
	}

	function applyPreFault(req, res, config, fault) {
		if (fault.kind === 'reset') {
			// An RST, not a clean close: the client sees ECONNRESET.
			if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
			else req.socket.destroy();
			return;
		}
		const status = Number(fault.kind.slice(0, 3));
		const headers = {};
		const retryAfter = fault.retryAfter ?? config.retryAfterSeconds;
		if (fault.kind === '429-retry-after') headers['Retry-After'] = String(retryAfter);
		if (fault.kind === '429-retry-date') {
			headers['Retry-After'] = new Date(
				Math.ceil((clock.now() + retryAfter * 1000) / 1000) * 1000,
			).toUTCString();
		}
		const [code, message] = PRE_FAULT_ERRORS[status] ?? PRE_FAULT_ERRORS[500];
		sendError(res, config, new ApiError(status, code, message, headers));
	}

	/** Why the request cannot reach an endpoint at all, or null. */
	function admissionError(req, clientId, route, path, config) {
		if (req.method !== 'POST') {
			return new ApiError(405, 'method_not_allowed', 'Every MDR API method is a POST', {
				Allow: 'POST',
			});
		}
		if (clientId !== ctx.clientId) {
			return new ApiError(
				config.unknownClientStatus,
				'unknown_client',
				`Unknown client ${clientId}`,
			);
		}
		if (!route) return notFound(`Unknown API method ${path}`);
		return null;
	}

	function parseRequest(route, req, raw) {
		if (!route.multipart) return { body: parseJsonBody(raw), parts: [] };
		try {
			return { body: {}, parts: parseMultipart(raw, req.headers['content-type']) };
		} catch (error) {
			throw new ApiError(400, 'bad_request', error.message);
		}
	}

	return async function handle(req, res, clientId, path) {
		const started = Date.now();
		const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
		let config = ctx.getConfig();
		counters.bump(path, 'received');
		const entry = requestLog.add({
			time: clock.now(),
			method: req.method,
			path,
			clientId,
			headers: describeHeaders(req, tokens.fingerprint),
			body: null,
		});
		const finish = (status, outcome) => {
			entry.status = status;
			entry.outcome = outcome;
			const shown = status ?? '(no answer)';
			ctx.log?.(`${req.method} ${path} → ${shown} ${outcome} ${Date.now() - started}ms`);
		};
		const reject = (error) => {
			counters.bump(path, 'rejected');
			sendError(res, config, error);
			finish(error.status, 'rejected');
		};

		// 1. The whole body first: faults act on a request the server has fully received.
		let raw;
		try {
			raw = await readBody(req, route?.multipart ? config.maxUploadBytes : JSON_LIMIT);
		} catch (error) {
			if (!(error instanceof BodyTooLargeError)) {
				req.socket.destroy();
				return finish(null, 'client-error');
			}
			return reject(new ApiError(413, 'payload_too_large', error.message, { Connection: 'close' }));
		}
		entry.body = describeBody(raw, req.headers['content-type'], tokens.fingerprint);

		const refusal = admissionError(req, clientId, route, path, config);
		if (refusal) return reject(refusal);

		// 2. Faults that replace the answer, or hold it back.
		const fault = faults.next(path);
		if (fault) counters.bump(path, 'faulted');
		if (fault && PRE_FAULTS.has(fault.kind)) {
			applyPreFault(req, res, config, fault);
			return finish(fault.kind === 'reset' ? null : Number(fault.kind.slice(0, 3)), fault.kind);
		}
		if (fault?.kind === 'delay') {
			if (!(await ctx.sleep(fault.delayMs ?? config.delayMs))) return finish(null, 'closed');
			config = ctx.getConfig();
		}
		if (config.brokenJsonPaths.includes(path)) {
			if (!fault) counters.bump(path, 'faulted');
			const body = Buffer.from(GARBAGE_PAGE);
			send(res, 200, { contentType: 'text/html; charset=utf-8', body, date: clock.now() });
			return finish(200, 'broken-json');
		}

		// 3. The endpoint itself; with drop-after its work is done but the answer never sent.
		const dropAfter = fault?.kind === 'drop-after';
		let result;
		try {
			const { body, parts } = parseRequest(route, req, raw);
			if (route.auth) await authorize(req, config);
			const rejectUnknown = config.unknownFieldsBehavior === 'error';
			result = await route.handler({
				body,
				parts,
				config,
				store,
				clock,
				tokens,
				counters,
				rejectUnknown,
			});
		} catch (thrown) {
			let error = thrown;
			if (!(error instanceof ApiError)) {
				console.error(`mdr-sandbox: ${path} failed:`, error);
				error = new ApiError(500, 'internal_error', 'The sandbox failed to handle this request');
			}
			if (!dropAfter) return reject(error);
			counters.bump(path, 'rejected');
			req.socket.destroy();
			return finish(null, 'drop-after');
		}

		counters.bump(path, 'performed');
		if (dropAfter) {
			req.socket.destroy();
			return finish(null, 'drop-after');
		}
		sendResult(res, result);
		finish(200, fault ? `ok (${fault.kind})` : 'ok');
	};
}

module.exports = { createMdrHandler };
