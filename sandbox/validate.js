'use strict';

// Request-body checks. Each endpoint declares its fields as `{name: 'type'}` where type is one of
// string, text (a string that may be empty even when required), int, bool, string[], object, any;
// a trailing `!` marks a required field.

const { badRequest } = require('./errors');

const CHECKS = {
	string: (v) => typeof v === 'string',
	text: (v) => typeof v === 'string',
	int: (v) => Number.isSafeInteger(v),
	bool: (v) => typeof v === 'boolean',
	'string[]': (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'),
	object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
	any: () => true,
};

const DESCRIPTIONS = {
	string: 'a string',
	text: 'a string',
	int: 'an integer',
	bool: 'a boolean',
	'string[]': 'an array of strings',
	object: 'an object',
	any: 'a value',
};

/**
 * Throws a 400 ApiError when a required field is missing (or, except text, empty), a field has the
 * wrong type, or — with `rejectUnknown` — the body carries a field the endpoint does not know.
 * `null` counts as "not given" for optional fields.
 */
function checkBody(body, spec, { rejectUnknown = false } = {}) {
	for (const [name, declared] of Object.entries(spec)) {
		const required = declared.endsWith('!');
		const type = required ? declared.slice(0, -1) : declared;
		const value = body[name];
		if (value === undefined || value === null || (required && value === '' && type !== 'text')) {
			if (required) throw badRequest(`Field '${name}' is required`);
			continue;
		}
		if (!CHECKS[type](value)) throw badRequest(`Field '${name}' must be ${DESCRIPTIONS[type]}`);
	}
	if (rejectUnknown) {
		const unknown = Object.keys(body).filter((name) => !(name in spec));
		if (unknown.length) throw badRequest(`Unknown field(s): ${unknown.join(', ')}`);
	}
}

function oneOf(name, value, allowed) {
	if (value !== undefined && value !== null && !allowed.includes(value)) {
		throw badRequest(`Field '${name}' must be one of: ${allowed.join(', ')}`);
	}
}

function eachOneOf(name, values, allowed) {
	for (const value of values || []) oneOf(name, value, allowed);
}

module.exports = { checkBody, oneOf, eachOneOf };
