'use strict';

// What a handler returns to the server: JSON, raw bytes, a byte stream, or an empty 200.

const json = (value) => ({ kind: 'json', value });
const empty = () => ({ kind: 'empty' });
const bytes = (buffer, fileName) => ({ kind: 'bytes', buffer, fileName });
const stream = (readable, size, fileName) => ({ kind: 'stream', readable, size, fileName });

/**
 * For writes whose real answer body is unknown (incidents/close, response/update,
 * responses/update, comments/delete): the object, `{}`, or an empty body, per `uncertainAnswers`.
 */
function uncertain(config, value) {
	if (config.uncertainAnswers === 'empty-object') return json({});
	if (config.uncertainAnswers === 'empty-body') return empty();
	return json(value);
}

module.exports = { json, empty, bytes, stream, uncertain };
