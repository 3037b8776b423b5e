'use strict';

// Small HTTP helpers shared by the MDR side and the control API.

class BodyTooLargeError extends Error {}

/** Reads the whole request body, failing once it exceeds `limit` bytes. */
function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		let failed = false;
		req.on('data', (chunk) => {
			if (failed) return;
			size += chunk.length;
			if (size > limit) {
				failed = true;
				reject(new BodyTooLargeError(`Request body exceeds ${limit} bytes`));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
		req.on('error', (error) => !failed && reject(error));
	});
}

/** Writes a complete answer unless the socket is already gone. */
function send(res, status, { contentType, body = Buffer.alloc(0), headers = {}, date }) {
	if (res.destroyed || res.headersSent) return;
	res.statusCode = status;
	res.sendDate = false;
	res.setHeader('Date', new Date(date).toUTCString());
	if (contentType) res.setHeader('Content-Type', contentType);
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	res.setHeader('Content-Length', body.length);
	res.end(body);
}

function sendJson(res, status, value, date, headers = {}) {
	send(res, status, {
		contentType: 'application/json; charset=utf-8',
		body: Buffer.from(JSON.stringify(value)),
		headers,
		date,
	});
}

/** `attachment; filename="…"; filename*=UTF-8''…` with an ASCII fallback name. */
function contentDisposition(fileName) {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

module.exports = { readBody, send, sendJson, contentDisposition, BodyTooLargeError };
