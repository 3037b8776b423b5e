'use strict';

// A minimal multipart/form-data parser (RFC 7578) for attachments/upload. It works on the raw body
// Buffer and never converts part contents to text, so binary files round-trip byte for byte.

const CRLF = Buffer.from('\r\n');

class MultipartError extends Error {}

function boundaryOf(contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	if (!/^multipart\/form-data/i.test(contentType || '') || !match) {
		throw new MultipartError('Expected a multipart/form-data body with a boundary');
	}
	return match[1] || match[2];
}

/** Parameters of a header value such as `form-data; name="file"; filename="a b.bin"`. */
function headerParams(value) {
	const params = {};
	const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let match;
	while ((match = pattern.exec(value))) {
		const key = match[1].toLowerCase();
		params[key] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
	}
	if (params['filename*']) {
		// RFC 5987: charset'language'percent-encoded
		const ext = /^[^']*'[^']*'(.*)$/.exec(params['filename*']);
		if (ext) {
			try {
				params.filename = decodeURIComponent(ext[1]);
			} catch {
				/* keep the plain filename */
			}
		}
	}
	return params;
}

function parseHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) {
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
	}
	return headers;
}

/** Returns `[{name, filename, contentType, headers, data}]`; throws MultipartError when malformed. */
function parseMultipart(body, contentType) {
	const boundary = boundaryOf(contentType);
	const delimiter = Buffer.from(`--${boundary}`);
	const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
	const parts = [];

	// The first delimiter may follow a preamble, which is ignored.
	let pos = body.indexOf(delimiter);
	if (pos < 0 || (pos > 0 && body.indexOf(nextDelimiter) !== pos - 2)) {
		throw new MultipartError('No multipart boundary found in the body');
	}

	for (;;) {
		let p = pos + delimiter.length;
		if (body[p] === 0x2d && body[p + 1] === 0x2d) break; // "--": the closing delimiter
		while (body[p] === 0x20 || body[p] === 0x09) p++; // transport padding
		if (!body.subarray(p, p + 2).equals(CRLF)) {
			throw new MultipartError('Malformed multipart delimiter line');
		}
		p += 2;

		let headerText = '';
		let contentStart;
		if (body.subarray(p, p + 2).equals(CRLF)) contentStart = p + 2;
		else {
			const headerEnd = body.indexOf('\r\n\r\n', p);
			if (headerEnd < 0) throw new MultipartError('Multipart part headers are not terminated');
			headerText = body.subarray(p, headerEnd).toString('utf8');
			contentStart = headerEnd + 4;
		}

		const end = body.indexOf(nextDelimiter, contentStart);
		if (end < 0) {
			throw new MultipartError('Multipart body is not terminated by its closing boundary');
		}

		const headers = parseHeaders(headerText);
		const disposition = headerParams(headers['content-disposition'] || '');
		parts.push({
			name: disposition.name,
			filename: disposition.filename,
			contentType: headers['content-type'],
			headers,
			data: body.subarray(contentStart, end),
		});
		pos = end + 2;
	}
	return parts;
}

module.exports = { parseMultipart, MultipartError };
