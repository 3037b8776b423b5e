'use strict';

// Deterministic pseudo-random numbers. Everything the sandbox invents (ids, times, texts, fault
// decisions) comes from here, so the same seed always yields the same data.

/** Hashes a seed and a label into a 32-bit integer, so each data domain gets its own stream. */
function hashSeed(seed, label) {
	let h = 0x811c9dc5;
	const text = `${seed}:${label}`;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/**
 * A small seeded generator (mulberry32) with the helpers the data generator needs.
 * Separate streams (`createRandom(seed, 'assets')`, `createRandom(seed, 'incidents')`) keep one
 * domain's data stable when another domain's size changes.
 */
function createRandom(seed, label = '') {
	let state = hashSeed(seed, label);

	function next() {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	const random = {
		next,
		int(min, max) {
			return min + Math.floor(next() * (max - min + 1));
		},
		chance(probability) {
			return next() < probability;
		},
		pick(items) {
			return items[Math.floor(next() * items.length)];
		},
		pickSome(items, min, max) {
			const count = Math.min(items.length, random.int(min, max));
			const pool = items.slice();
			const chosen = [];
			for (let i = 0; i < count; i++) {
				chosen.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
			}
			return chosen;
		},
		/** A 20-character id in the style of an Elasticsearch document id, e.g. `2NJMGXkBNGNeZ5iut24S`. */
		docId() {
			let id = '';
			for (let i = 0; i < 20; i++) id += ID_ALPHABET[Math.floor(next() * 62)];
			return id;
		},
		hex(length) {
			// Eight hex digits per draw: cheap enough for tens of thousands of ids at startup.
			let out = '';
			while (out.length < length)
				out += Math.floor(next() * 4294967296)
					.toString(16)
					.padStart(8, '0');
			return out.slice(0, length);
		},
		uuid() {
			const h = random.hex(32);
			const variant = HEX[8 + Math.floor(next() * 4)];
			return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
		},
	};
	return random;
}

module.exports = { createRandom, hashSeed };
