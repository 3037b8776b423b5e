'use strict';

// Per-endpoint counters. They separate what reached the sandbox (`received`) from what a fault
// swallowed (`faulted`), what the handler refused (`rejected`) and what was actually carried out
// (`performed`), so tests can prove that a write was applied at most once.

const KINDS = ['received', 'faulted', 'performed', 'rejected'];

function createCounters() {
	let endpoints = new Map();
	let confirm = { ok: 0, rejected: 0 };

	function bump(path, kind) {
		let entry = endpoints.get(path);
		if (!entry) {
			entry = { received: 0, faulted: 0, performed: 0, rejected: 0 };
			endpoints.set(path, entry);
		}
		entry[kind]++;
	}

	function snapshot() {
		const totals = Object.fromEntries(KINDS.map((k) => [k, 0]));
		const byPath = {};
		for (const [path, entry] of [...endpoints.entries()].sort()) {
			byPath[path] = { ...entry };
			for (const k of KINDS) totals[k] += entry[k];
		}
		return { endpoints: byPath, confirm: { ...confirm }, totals };
	}

	function reset() {
		endpoints = new Map();
		confirm = { ok: 0, rejected: 0 };
	}

	return {
		bump,
		confirmOk: () => confirm.ok++,
		confirmRejected: () => confirm.rejected++,
		snapshot,
		reset,
	};
}

module.exports = { createCounters };
