'use strict';
/**
 * Runs once before the end-to-end suite: builds and packs the package, makes sure each n8n line
 * is installed in the cache folder, and prepares one migrated n8n user folder per line with the
 * tarball installed in .n8n/nodes. Tests copy that folder instead of migrating a database again.
 *
 * E2E_N8N_LINES=1,2 (default) chooses the lines. Everything lives in one run folder whose path is
 * passed to the tests through E2E_RUN_DIR.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');

const rt = require('./runtime');
const { ENCRYPTION_KEY, selectedLines } = require('./settings');

module.exports = async function globalSetup() {
	const startedAt = Date.now();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdr-e2e-'));
	const timings = {};
	const mark = (name, since) => {
		timings[name] = Date.now() - since;
	};

	let t = Date.now();
	const tarball = rt.buildAndPack(path.join(runDir, 'pack'));
	mark('build+pack', t);

	const lines = {};
	for (const line of selectedLines()) {
		const { version } = rt.N8N_LINES[line];
		t = Date.now();
		const cached = rt.installedN8n(version) !== undefined;
		const installDir = rt.installN8n(version);
		mark(`install n8n ${version}${cached ? ' (cached)' : ''}`, t);

		t = Date.now();
		const template = path.join(runDir, `template-n8n${line}`);
		rt.prepareUserFolder(template, tarball);
		const n8n = new rt.N8n({
			installDir,
			userFolder: template,
			encryptionKey: ENCRYPTION_KEY,
			logDir: path.join(runDir, 'logs', `template-n8n${line}`),
		});
		await n8n.migrate();
		mark(`user folder + migrations n8n ${version}`, t);
		lines[line] = { version, installDir, template };
	}

	const state = { runDir, tarball, lines, timings, startedAt };
	fs.writeFileSync(path.join(runDir, 'state.json'), JSON.stringify(state, null, 2));
	process.env.E2E_RUN_DIR = runDir;
	process.stdout.write(`\n[e2e] setup ${JSON.stringify(timings)}\n`);
};
