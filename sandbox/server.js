'use strict';

// The HTTP(S) server: `/api/v1/{client_id}/{resource}/{action}` goes to the MDR side,
// `/_control/...` to the control API, anything else is a 404.

const http = require('node:http');
const https = require('node:https');
const { renderError } = require('./errors');
const { send } = require('./http-io');

const API_PREFIX = '/api/v1/';

/** Delays that a closing server can cut short, so close() never waits on a pending fault. */
function createSleeper() {
	const pending = new Set();
	function sleep(ms) {
		return new Promise((resolve) => {
			const entry = { resolve };
			entry.timer = setTimeout(() => {
				pending.delete(entry);
				resolve(true);
			}, ms);
			pending.add(entry);
		});
	}
	function cancelAll() {
		for (const entry of pending) {
			clearTimeout(entry.timer);
			entry.resolve(false);
		}
		pending.clear();
	}
	return { sleep, cancelAll };
}

function createServer({ tls, handleApi, handleControl, getConfig, clock }) {
	async function onRequest(req, res) {
		const url = new URL(req.url, 'http://sandbox.invalid');
		const pathname = url.pathname;

		if (pathname === '/_control' || pathname.startsWith('/_control/')) {
			const rest = pathname.slice('/_control/'.length).replace(/\/+$/, '');
			return handleControl(req, res, rest, url.searchParams);
		}
		if (pathname.startsWith(API_PREFIX)) {
			const segments = pathname.slice(API_PREFIX.length).split('/');
			if (segments.length === 3 && segments.every(Boolean)) {
				let clientId;
				try {
					clientId = decodeURIComponent(segments[0]);
				} catch {
					clientId = segments[0];
				}
				return handleApi(req, res, clientId, `${segments[1]}/${segments[2]}`);
			}
		}
		req.resume();
		const rendered = renderError(
			getConfig().errorFormat,
			404,
			'not_found',
			`No such path: ${pathname}`,
		);
		send(res, 404, { ...rendered, date: clock.now() });
	}

	const handler = (req, res) => {
		onRequest(req, res).catch((error) => {
			console.error('mdr-sandbox: request failed:', error);
			if (!res.headersSent)
				send(res, 500, {
					contentType: 'text/plain',
					body: Buffer.from('sandbox error'),
					date: clock.now(),
				});
		});
	};
	return tls
		? https.createServer({ key: tls.key, cert: tls.cert }, handler)
		: http.createServer(handler);
}

module.exports = { createServer, createSleeper };
