const { readdirSync, readFileSync, rmSync } = require('fs');
const { join } = require('path');

const SLICE = 12;
const TOKEN_RUN = /[A-Za-z0-9_\-.]{12,}/g;

/**
 * The final secret-hygiene check of a test run: no token value, nor any 12-character slice of
 * one, may appear in an error message, error description, output item or trigger static data.
 * JWT headers are the same for every token and public, so only payload and signature count.
 */
module.exports = async () => {
	const folder = process.env.MDR_HYGIENE_DIR;
	if (!folder) return;
	const slices = new Set();
	const texts = [];
	let tokenCount = 0;
	for (const name of readdirSync(folder)) {
		const record = JSON.parse(readFileSync(join(folder, name), 'utf8'));
		for (const token of record.tokens) {
			tokenCount++;
			const secret = token.split('.').slice(1).join('.') || token;
			for (let start = 0; start + SLICE <= secret.length; start++) {
				const slice = secret.slice(start, start + SLICE);
				if (!slice.includes('.')) slices.add(slice);
			}
		}
		texts.push(...record.seen);
	}
	rmSync(folder, { recursive: true, force: true });

	let leaks = 0;
	for (const text of texts) {
		for (const run of text.match(TOKEN_RUN) ?? []) {
			for (let start = 0; start + SLICE <= run.length; start++) {
				if (slices.has(run.slice(start, start + SLICE))) {
					leaks++;
					break;
				}
			}
		}
	}
	const summary = `secret hygiene: ${tokenCount} tokens checked against ${texts.length} recorded outputs and errors`;
	if (leaks > 0) {
		throw new Error(`${summary}: ${leaks} contain a token or a 12-character slice of one`);
	}
	process.stdout.write(`\n${summary}: no token found\n`);
};
