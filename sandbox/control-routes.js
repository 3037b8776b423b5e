'use strict';

// The HTTP face of the control API: `/_control/...`, JSON in and out, no authentication.

const { ControlError } = require('./control');
const { ConfigError } = require('./config');
const { FaultSpecError } = require('./faults');
const { readBody, sendJson } = require('./http-io');

const CONTROL_BODY_LIMIT = 256 * 1024 * 1024; // attachments may arrive as base64

/** [method, pattern, (control, body, params, query) => result] */
const ROUTES = [
	['GET', '', (c) => c.info()],
	['GET', 'info', (c) => c.info()],
	['POST', 'tokens/mint', (c, body) => c.mintRefreshToken(body)],
	['POST', 'tokens/mint-pair', (c, body) => c.mintTokenPair(body)],
	['POST', 'tokens/revoke', (c, body) => c.revokeTokens(body)],
	['POST', 'tokens/expire-access', (c) => c.expireAccessTokens()],
	['POST', 'tokens/check', (c, body) => c.checkToken(body)],
	['GET', 'counters', (c) => c.getCounters()],
	['POST', 'counters/reset', (c) => c.resetCounters()],
	['GET', 'requests', (c, _b, _p, query) => c.getRequests(requestQuery(query))],
	['GET', 'config', (c) => c.getConfig()],
	['POST', 'config', (c, body) => c.setConfig(body)],
	['GET', 'faults', (c) => c.getFaults()],
	['POST', 'faults', (c, body) => c.setFaults(body)],
	['DELETE', 'faults', (c) => c.clearFaults()],
	['GET', 'clock', (c) => c.getClock()],
	['POST', 'clock', (c, body) => c.setClock(body)],
	['POST', 'reset', (c, body) => c.reset(body)],
	[
		'GET',
		'incidents',
		(c, _b, _p, query) => c.listIncidents({ fields: query.get('fields') ?? undefined }),
	],
	['POST', 'incidents', (c, body) => c.createIncident(body)],
	['GET', 'incidents/:id', (c, _b, p) => c.getIncident(p.id)],
	['PATCH', 'incidents/:id', (c, body, p) => c.updateIncident(p.id, body)],
	['POST', 'incidents/:id/comments', (c, body, p) => c.addComment(p.id, body)],
	['POST', 'incidents/:id/responses', (c, body, p) => c.addResponse(p.id, body)],
	['POST', 'incidents/:id/attachments', (c, body, p) => c.addAttachment(p.id, body)],
	['PATCH', 'responses/:id', (c, body, p) => c.updateResponse(p.id, body)],
	['GET', 'assets', (c) => c.listAssets()],
	['GET', 'tenants', (c) => c.listTenants()],
];

function requestQuery(query) {
	const number = (name) => (query.has(name) ? Number(query.get(name)) : undefined);
	return {
		path: query.get('path') || undefined,
		limit: number('limit') ?? 50,
		sinceSeq: number('sinceSeq'),
	};
}

function match(pattern, rest) {
	const want = pattern === '' ? [] : pattern.split('/');
	const got = rest === '' ? [] : rest.split('/');
	if (want.length !== got.length) return null;
	const params = {};
	for (let i = 0; i < want.length; i++) {
		if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
		else if (want[i] !== got[i]) return null;
	}
	return params;
}

function createControlRoutes({ control, clock }) {
	/** `rest` is the path after `/_control/`, without a trailing slash. */
	return async function handleControl(req, res, rest, query) {
		const reply = (status, value) => sendJson(res, status, value, clock.now());
		let pathMatched = false;
		for (const [method, pattern, run] of ROUTES) {
			const params = match(pattern, rest);
			if (!params) continue;
			pathMatched = true;
			if (method !== req.method) continue;
			try {
				const raw = await readBody(req, CONTROL_BODY_LIMIT);
				const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
				const result = await run(control, body, params, query);
				return reply(200, result ?? {});
			} catch (error) {
				if (error instanceof SyntaxError) {
					return reply(400, { error: 'bad_request', message: 'The body is not valid JSON' });
				}
				if (error instanceof ControlError) {
					return reply(error.status, { error: 'control_error', message: error.message });
				}
				if (error instanceof ConfigError || error instanceof FaultSpecError) {
					return reply(400, { error: 'bad_request', message: error.message });
				}
				console.error('mdr-sandbox: control request failed:', error);
				return reply(500, { error: 'internal_error', message: error.message });
			}
		}
		if (pathMatched)
			return reply(405, {
				error: 'method_not_allowed',
				message: `${req.method} is not supported on /_control/${rest}`,
			});
		return reply(404, { error: 'not_found', message: `No control endpoint /_control/${rest}` });
	};
}

module.exports = { createControlRoutes };
