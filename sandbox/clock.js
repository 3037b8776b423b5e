'use strict';

// The sandbox clock. Every time the sandbox hands out or compares (incident times, token `exp`,
// Retry-After dates, the Date header) comes from here, so tests can move time instead of waiting.

function createClock() {
	let offsetMs = 0;
	let frozenAt = null;

	function now() {
		return frozenAt === null ? Date.now() + offsetMs : frozenAt;
	}

	/**
	 * `{offsetMs}` shifts real time; `{nowMs}` jumps to a moment and keeps ticking from there;
	 * `{nowMs, frozen: true}` or `{frozen: true}` stops the clock; `{advanceMs}` moves it forward
	 * (frozen or not); `{real: true}` goes back to real time.
	 */
	function set(options = {}) {
		if (options.real) {
			offsetMs = 0;
			frozenAt = null;
		}
		if (typeof options.offsetMs === 'number') {
			offsetMs = options.offsetMs;
			frozenAt = null;
		}
		if (typeof options.nowMs === 'number') {
			if (options.frozen) frozenAt = options.nowMs;
			else {
				frozenAt = null;
				offsetMs = options.nowMs - Date.now();
			}
		} else if (options.frozen === true && frozenAt === null) {
			frozenAt = now();
		} else if (options.frozen === false && frozenAt !== null) {
			offsetMs = frozenAt - Date.now();
			frozenAt = null;
		}
		if (typeof options.advanceMs === 'number') {
			if (frozenAt !== null) frozenAt += options.advanceMs;
			else offsetMs += options.advanceMs;
		}
		return state();
	}

	function state() {
		return {
			nowMs: now(),
			offsetMs: frozenAt === null ? offsetMs : frozenAt - Date.now(),
			frozen: frozenAt !== null,
		};
	}

	return { now, set, state };
}

module.exports = { createClock };
