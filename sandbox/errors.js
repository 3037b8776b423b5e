'use strict';

const http = require('node:http');

/** An error the MDR side answers with: an HTTP status, a short machine code and a human message. */
class ApiError extends Error {
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

const badRequest = (message) => new ApiError(400, 'bad_request', message);
const notFound = (message) => new ApiError(404, 'not_found', message);

function escapeHtml(text) {
	return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders an error in the configured `errorFormat`. The real API's error body is unknown, so the
 * sandbox can answer in each shape a client may meet: JSON with `error`/`message`, JSON with
 * `detail`, plain text, an HTML page such as a reverse proxy would produce, or nothing at all.
 */
function renderError(errorFormat, status, code, message) {
	const reason = http.STATUS_CODES[status] || 'Error';
	switch (errorFormat) {
		case 'json-detail':
			return json({ detail: message });
		case 'text':
			return { contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) };
		case 'html': {
			// A proxy page carries only the status, not the API's message.
			const title = `${status} ${escapeHtml(reason)}`;
			const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
			return { contentType: 'text/html', body: Buffer.from(page) };
		}
		case 'empty':
			return { contentType: null, body: Buffer.alloc(0) };
		default:
			return json({ error: code, message });
	}
}

function json(value) {
	return {
		contentType: 'application/json; charset=utf-8',
		body: Buffer.from(JSON.stringify(value)),
	};
}

module.exports = { ApiError, badRequest, notFound, renderError };
