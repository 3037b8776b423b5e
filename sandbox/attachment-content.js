'use strict';

// Contents of attachments that were not uploaded (seeded, or created by the control API with only
// a size): deterministic bytes made on the fly, streamed in chunks so that a "several GB"
// attachment costs no memory.

const { Readable } = require('node:stream');

const CHUNK = 64 * 1024;

function pattern(attachmentId) {
	const line = Buffer.from(`MDR sandbox attachment ${attachmentId}\n`);
	return Buffer.alloc(CHUNK, line);
}

/** A Buffer for small sizes, a Readable for large ones. */
function syntheticContent(attachmentId, size) {
	const block = pattern(attachmentId);
	if (size <= CHUNK) return block.subarray(0, size);
	let left = size;
	return new Readable({
		read() {
			if (left <= 0) return this.push(null);
			const n = Math.min(left, CHUNK);
			left -= n;
			this.push(block.subarray(0, n));
		},
	});
}

module.exports = { syntheticContent };
