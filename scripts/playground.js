#!/usr/bin/env node
'use strict';
/**
 * `npm start`: a local n8n with this package installed, talking to the MDR sandbox.
 *
 * Builds and packs the package, installs the tarball into an n8n user folder the way n8n installs
 * community packages (.n8n/nodes), starts the sandbox, imports a ready "Kaspersky MDR (sandbox)"
 * credential and the example workflows from examples/, starts n8n, creates the demo owner and
 * prints the URL and login. Uses n8n 2.x on Node 24 when it can be installed, otherwise n8n 1.123
 * on Node 20, and says which. State lives in .n8n-playground/ (gitignored); Ctrl-C stops it all.
 *
 *   npm start                 n8n 2.x if possible, else 1.x
 *   npm start -- --n8n=1      force n8n 1.123 (Node 20)
 *   npm start -- --fresh      forget the previous playground (database, workflows, owner)
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const rt = require('../e2e/support/runtime');

const STATE_DIR = path.join(rt.ROOT, '.n8n-playground');
const OWNER = { email: 'demo@example.com', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'Owner' };
const CREDENTIAL = { id: 'mdrSandboxCred01', name: 'Kaspersky MDR (sandbox)' };
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.MDR_SANDBOX_PORT || 8787);

function say(text) {
	process.stdout.write(`[playground] ${text}\n`);
}

function option(name) {
	const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (arg === undefined) return undefined;
	return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : true;
}

/** n8n 2.x on Node 24 where it installs, otherwise 1.123 on Node 20. */
function chooseN8n() {
	const forced = option('n8n');
	const order = forced === '1' ? ['1'] : forced === '2' ? ['2'] : ['2', '1'];
	for (const line of order) {
		const { version, node } = rt.N8N_LINES[line];
		const cached = rt.installedN8n(version);
		if (!cached) say(`Installing n8n ${version} (Node ${node}) into the cache, once; this takes a few minutes…`);
		try {
			return { line, version, node, installDir: cached ?? rt.installN8n(version) };
		} catch (error) {
			say(`n8n ${version} could not be installed here (${String(error.message).split('\n')[0]})`);
		}
	}
	throw new Error('No n8n line could be installed: see scripts/install-n8n.sh');
}

async function portIsFree(port) {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
		return false;
	} catch {
		return true;
	}
}

/** The example workflows, their credential references pointed at the sandbox credential. */
function exampleWorkflows() {
	const dir = path.join(rt.ROOT, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			for (const node of workflow.nodes ?? []) {
				if (node.credentials?.[rt.CREDENTIAL_TYPE]) node.credentials[rt.CREDENTIAL_TYPE] = { ...CREDENTIAL };
			}
			// A stable id per file: starting the playground again updates it instead of adding a copy.
			const id = crypto.createHash('sha256').update(file).digest('hex').slice(0, 16);
			return { ...workflow, id, active: false };
		});
}

async function main() {
	if (option('fresh')) fs.rmSync(STATE_DIR, { recursive: true, force: true });
	fs.mkdirSync(STATE_DIR, { recursive: true });
	const logDir = path.join(STATE_DIR, 'logs');

	say('Building and packing the package…');
	fs.rmSync(path.join(STATE_DIR, 'pack'), { recursive: true, force: true });
	const tarball = rt.buildAndPack(path.join(STATE_DIR, 'pack'));

	const chosen = chooseN8n();
	const userFolder = path.join(STATE_DIR, `n8n-${chosen.line}`);
	fs.rmSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
	rt.prepareUserFolder(userFolder, tarball);
	say(`Installed ${path.basename(tarball)} into ${path.relative(rt.ROOT, userFolder)}/.n8n/nodes`);

	const keyFile = path.join(STATE_DIR, 'encryption-key');
	if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
	const n8n = new rt.N8n({
		installDir: chosen.installDir,
		userFolder,
		encryptionKey: fs.readFileSync(keyFile, 'utf8').trim(),
		logDir,
	});

	const sandboxPort = (await portIsFree(SANDBOX_PORT)) ? SANDBOX_PORT : 0;
	const sandbox = await rt.SandboxProcess.start({
		logFile: path.join(logDir, 'sandbox.log'),
		args: sandboxPort ? ['--port', String(sandboxPort)] : [],
	});
	say(`MDR sandbox at ${sandbox.apiUrl} (control API ${sandbox.controlUrl})`);

	// The sandbox keeps its tokens in memory: give the credential a fresh token on every start.
	const { refreshToken } = await sandbox.control('POST', '/tokens/mint', {});
	const credentialsFile = path.join(STATE_DIR, 'credential.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{
				...CREDENTIAL,
				type: rt.CREDENTIAL_TYPE,
				data: { clientId: sandbox.clientId, refreshToken, apiUrl: sandbox.apiUrl, customCa: '', ignoreSslIssues: false },
			},
		]),
		{ mode: 0o600 },
	);
	try {
		await n8n.cli(['import:credentials', `--input=${credentialsFile}`], { label: 'import-credential' });
	} finally {
		fs.rmSync(credentialsFile, { force: true });
	}
	const workflows = exampleWorkflows();
	if (workflows.length > 0) await n8n.importWorkflows(workflows);
	say(`Imported the credential "${CREDENTIAL.name}" and ${workflows.length} example workflow(s)`);

	const port = (await portIsFree(N8N_PORT)) ? N8N_PORT : await rt.freePort();
	say(`Starting n8n ${chosen.version} on Node ${chosen.node}…`);
	const baseUrl = await n8n.start({ port });
	const rest = new rt.N8nRest(baseUrl);
	const settings = await rest.request('GET', '/settings');
	if (settings?.userManagement?.showSetupOnFirstLoad) await rest.setupOwner(OWNER);

	process.stdout.write(
		[
			'',
			`  n8n ${chosen.version} on Node ${chosen.node}${chosen.line === '1' && option('n8n') !== '1' ? ' (n8n 2.x could not be used here)' : ''}`,
			`  Open      ${baseUrl}`,
			`  Email     ${OWNER.email}`,
			`  Password  ${OWNER.password}`,
			`  Credential "${CREDENTIAL.name}" → MDR sandbox at ${sandbox.apiUrl}`,
			`  Logs      ${path.relative(rt.ROOT, logDir)}/`,
			'',
			'  Press Ctrl-C to stop n8n and the sandbox.',
			'',
		].join('\n'),
	);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('Stopping…');
		await n8n.stop();
		await sandbox.stop();
		process.exit(0);
	};
	process.removeAllListeners('SIGINT');
	process.removeAllListeners('SIGTERM');
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	n8n.server.child.on('exit', (code) => {
		if (stopping) return;
		say(`n8n exited (${code}); see ${path.relative(rt.ROOT, logDir)}/`);
		void sandbox.stop().then(() => process.exit(1));
	});
}

main().catch(async (error) => {
	process.stderr.write(`[playground] ${rt.redact(error.stack || error.message)}\n`);
	await rt.stopAll();
	process.exit(1);
});
