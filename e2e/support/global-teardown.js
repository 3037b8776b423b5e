'use strict';
/**
 * Stops anything still running, copies every log of the run (tokens masked) to
 * test-artifacts/e2e-logs/ for CI, and removes the run folder.
 */

const fs = require('fs');
const path = require('path');

const rt = require('./runtime');

function copyLogs(from, to) {
	if (!fs.existsSync(from)) return;
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		if (entry.isDirectory()) {
			copyLogs(source, path.join(to, entry.name));
		} else if (entry.name.endsWith('.log')) {
			fs.mkdirSync(to, { recursive: true });
			fs.writeFileSync(path.join(to, entry.name), rt.redact(fs.readFileSync(source, 'utf8')));
		}
	}
}

module.exports = async function globalTeardown() {
	await rt.stopAll();
	const runDir = process.env.E2E_RUN_DIR;
	if (!runDir || !fs.existsSync(runDir)) return;
	const target = path.join(rt.ROOT, 'test-artifacts', 'e2e-logs');
	fs.rmSync(target, { recursive: true, force: true });
	copyLogs(path.join(runDir, 'logs'), target);
	if (!process.env.E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
};
