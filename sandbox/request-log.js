'use strict';

// A bounded ring of the most recent MDR API requests, for tests that assert on what a client sent.
// Tokens never enter it: the Authorization header and any *token* field are replaced by a
// fingerprint (the token's jti), and uploaded files by their name, size and SHA-256.

const crypto = require('node:crypto');
const { parseMultipart } = require('./multipart');

const LOGGED_HEADERS = ['content-type', 'content-length', 'accept', 'user-agent', 'x-request-id'];

function createRequestLog(capacity = 5000) {
	let entries = [];
	let seq = 0;

	/** Adds an entry and returns it; the caller fills in `status`/`outcome` when the answer is known. */
	function add(entry) {
		const stored = { seq: ++seq, ...entry, status: null, outcome: null };
		entries.push(stored);
		if (entries.length > capacity) entries.splice(0, entries.length - capacity);
		return stored;
	}

	/** The newest `limit` entries (oldest first), optionally for one path and/or after a seq. */
	function query({ path, limit = 50, sinceSeq } = {}) {
		const matching = entries.filter(
			(e) => (!path || e.path === path) && (sinceSeq === undefined || e.seq > sinceSeq),
		);
		return matching.slice(Math.max(0, matching.length - limit));
	}

	function clear() {
		entries = [];
	}

	return { add, query, clear };
}

/** Replaces token values by their fingerprint anywhere in a JSON body. */
function redact(value, fingerprint) {
	if (Array.isArray(value)) return value.map((item) => redact(item, fingerprint));
	if (value === null || typeof value !== 'object') return value;
	const out = {};
	for (const [key, item] of Object.entries(value)) {
		out[key] =
			/token/i.test(key) && typeof item === 'string'
				? { redacted: true, ...fingerprint(item) }
				: redact(item, fingerprint);
	}
	return out;
}

/** What the log keeps of a body: redacted JSON, or for multipart the meta and a file summary. */
function describeBody(raw, contentType, fingerprint) {
	try {
		if (/^multipart\//i.test(contentType || '')) {
			const parts = parseMultipart(raw, contentType);
			const meta = parts.find((p) => p.name === 'meta');
			const file = parts.find((p) => p.name === 'file');
			let metaValue = meta && meta.data.toString('utf8');
			try {
				metaValue = metaValue && JSON.parse(metaValue);
			} catch {
				/* keep the raw text */
			}
			return {
				meta: metaValue,
				file: file && {
					filename: file.filename,
					contentType: file.contentType,
					size: file.data.length,
					sha256: crypto.createHash('sha256').update(file.data).digest('hex'),
				},
				parts: parts.map((p) => p.name),
			};
		}
		return raw.length ? redact(JSON.parse(raw.toString('utf8')), fingerprint) : {};
	} catch {
		return { unparsable: true, size: raw.length };
	}
}

/** A few useful headers, and Authorization as `{scheme, jti, typ}`. */
function describeHeaders(req, fingerprint) {
	const headers = {};
	for (const name of LOGGED_HEADERS) {
		if (req.headers[name] !== undefined) headers[name] = req.headers[name];
	}
	const auth = req.headers.authorization;
	if (auth !== undefined) {
		const bearer = /^Bearer\s+(\S+)/i.exec(auth);
		headers.authorization = bearer
			? { scheme: 'Bearer', ...fingerprint(bearer[1]) }
			: { scheme: auth.split(' ')[0] };
	}
	return headers;
}

module.exports = { createRequestLog, describeBody, describeHeaders };
