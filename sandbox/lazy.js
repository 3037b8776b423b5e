'use strict';

// Lazily produced properties. A seeded incident's heavy parts (description, IOCs, comments,
// attachments, responses) are made only when something first reads one of them: seeding 25,000
// incidents then costs a fraction of the time and memory, and a list page of 1,000 materializes
// just its 1,000. To every reader — property access, JSON.stringify, spread, structuredClone —
// the properties look like ordinary ones, and they keep their place in the key order.

const pending = new WeakMap(); // object → { keys, produce, args, onMaterialize }
const accessors = new Map(); // key → property descriptor shared by every object

function settle(target, key, value) {
	Object.defineProperty(target, key, {
		value,
		writable: true,
		enumerable: true,
		configurable: true,
	});
}

/** Replaces the lazy properties of `target` by the values `produce(args, target)` returns. */
function materialize(target) {
	const entry = pending.get(target);
	if (!entry) return;
	pending.delete(target);
	const values = entry.produce(entry.args, target);
	for (const key of entry.keys) settle(target, key, values[key]);
	entry.onMaterialize?.(target);
}

function accessorFor(key) {
	let descriptor = accessors.get(key);
	if (!descriptor) {
		descriptor = {
			get() {
				materialize(this);
				return this[key];
			},
			set(value) {
				materialize(this);
				settle(this, key, value);
			},
			enumerable: true,
			configurable: true,
		};
		accessors.set(key, descriptor);
	}
	return descriptor;
}

/**
 * Adds `key` to `target` as a lazy property, at this point of its key order. The object is best
 * built with plain named assignments around these calls: that keeps V8's fast property layout,
 * which matters at 25,000 objects.
 */
function lazyKey(target, key) {
	Object.defineProperty(target, key, accessorFor(key));
}

/** Registers how `target`'s lazy `keys` are made: `produce(args, target)` → `{key: value}`. */
function registerLazy(target, keys, produce, args, onMaterialize) {
	pending.set(target, { keys, produce, args, onMaterialize });
}

const isMaterialized = (target) => !pending.has(target);

module.exports = { lazyKey, registerLazy, materialize, isMaterialized };
