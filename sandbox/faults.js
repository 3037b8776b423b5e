'use strict';

// Fault injection, by script (a queue of faults for matching requests) or by rate (a seeded share
// of requests in a scope). Script entries take precedence over the rate.

const { createRandom } = require('./random');

const FAULT_KINDS = [
	'401',
	'403',
	'429',
	'429-retry-after',
	'429-retry-date',
	'500',
	'502',
	'503',
	'504',
	'reset',
	'delay',
	'drop-after',
];
const SCOPES = ['reads', 'writes', 'all', 'confirm'];
const READ_ACTIONS = new Set(['list', 'count', 'details', 'history', 'download']);

class FaultSpecError extends Error {}

/** reads, writes or confirm, from an API path such as `incidents/list`. */
function scopeOf(path) {
	if (path === 'session/confirm') return 'confirm';
	return READ_ACTIONS.has(path.split('/')[1]) ? 'reads' : 'writes';
}

function checkEntry(entry, where) {
	if (entry === null || typeof entry !== 'object') {
		throw new FaultSpecError(`${where} must be an object`);
	}
	if (!FAULT_KINDS.includes(entry.kind)) {
		throw new FaultSpecError(`${where}.kind must be one of ${FAULT_KINDS.join(', ')}`);
	}
	if (entry.path !== undefined && typeof entry.path !== 'string') {
		throw new FaultSpecError(`${where}.path must be a string`);
	}
	if (entry.times !== undefined && !(Number.isInteger(entry.times) && entry.times > 0)) {
		throw new FaultSpecError(`${where}.times must be a positive integer`);
	}
}

function checkRate(spec) {
	if (typeof spec.rate !== 'number' || spec.rate < 0 || spec.rate > 1) {
		throw new FaultSpecError('rate must be a number from 0 to 1');
	}
	if (!Array.isArray(spec.kinds) || spec.kinds.length === 0) {
		throw new FaultSpecError('kinds must be a non-empty array');
	}
	spec.kinds.forEach((kind, i) => checkEntry({ kind }, `kinds[${i}]`));
	if (spec.scope !== undefined && !SCOPES.includes(spec.scope)) {
		throw new FaultSpecError(`scope must be one of ${SCOPES.join(', ')}`);
	}
	if (
		spec.paths !== undefined &&
		!(Array.isArray(spec.paths) && spec.paths.every((p) => typeof p === 'string'))
	) {
		throw new FaultSpecError('paths must be an array of strings');
	}
}

function createFaults() {
	let script = []; // [{ kind, path?, times, retryAfter?, delayMs? }]
	let rate = null; // { rate, kinds, scope, paths, seed, retryAfter?, delayMs?, random }

	/**
	 * `{script: [...], append?: bool}` replaces (or extends) the script; `{rate, kinds, scope?,
	 * paths?, seed?, retryAfter?, delayMs?}` replaces the rate rule. Either part may come alone.
	 */
	function set(spec) {
		if (spec === null || typeof spec !== 'object') {
			throw new FaultSpecError('faults must be an object');
		}
		if (spec.script === undefined && spec.rate === undefined) {
			throw new FaultSpecError('give script and/or rate');
		}
		if (spec.script !== undefined) {
			if (!Array.isArray(spec.script)) throw new FaultSpecError('script must be an array');
			spec.script.forEach((entry, i) => checkEntry(entry, `script[${i}]`));
			const entries = spec.script.map((entry) => ({ ...entry, times: entry.times ?? 1 }));
			script = spec.append ? script.concat(entries) : entries;
		}
		if (spec.rate !== undefined) {
			checkRate(spec);
			const { script: _ignored, append: _also, ...rule } = spec;
			const seed = rule.seed ?? 1;
			rate = { scope: 'all', ...rule, seed, random: createRandom(seed, 'faults') };
		}
		return snapshot();
	}

	/** The fault for this request, if any; consumes a script entry. */
	function next(path) {
		const index = script.findIndex((entry) => entry.path === undefined || entry.path === path);
		if (index >= 0) {
			const entry = script[index];
			if (--entry.times === 0) script.splice(index, 1);
			return entry;
		}
		if (!rate) return null;
		const inScope = rate.scope === 'all' || rate.scope === scopeOf(path);
		if (!inScope || (rate.paths && !rate.paths.includes(path))) return null;
		if (rate.random.next() >= rate.rate) return null;
		return {
			kind: rate.random.pick(rate.kinds),
			retryAfter: rate.retryAfter,
			delayMs: rate.delayMs,
		};
	}

	function snapshot() {
		const shownRate = rate && (({ random: _r, ...rest }) => rest)(rate);
		return { script: script.map((e) => ({ ...e })), rate: shownRate };
	}

	function clear() {
		script = [];
		rate = null;
		return snapshot();
	}

	return { set, next, snapshot, clear };
}

module.exports = { createFaults, scopeOf, FAULT_KINDS, FaultSpecError };
