'use strict';

// A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, made with
// the openssl CLI in a temporary directory. Clients that trust the CA file connect; others get a
// TLS error — the situation of users behind a TLS-inspecting proxy.

const { execFile } = require('node:child_process');
const fs = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const run = promisify(execFile);

const SERVER_EXTENSIONS = [
	'basicConstraints=critical,CA:FALSE',
	'keyUsage=critical,digitalSignature,keyEncipherment',
	'extendedKeyUsage=serverAuth',
	'subjectAltName=IP:127.0.0.1,DNS:localhost',
].join('\n');

async function openssl(dir, args) {
	try {
		await run('openssl', args, { cwd: dir });
	} catch (error) {
		throw new Error(`openssl ${args[0]} failed: ${error.stderr || error.message}`);
	}
}

/** Returns `{dir, caFile, caPem, key, cert, cleanup()}`. */
async function createCertificates() {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mdr-sandbox-tls-'));
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await openssl(dir, [
		'req',
		'-x509',
		...ec,
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'30',
		'-subj',
		'/CN=MDR Sandbox Test CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	await openssl(dir, [
		'req',
		...ec,
		'-keyout',
		'server.key',
		'-out',
		'server.csr',
		'-subj',
		'/CN=localhost',
	]);
	await fs.writeFile(path.join(dir, 'server.ext'), SERVER_EXTENSIONS);
	await openssl(dir, [
		'x509',
		'-req',
		'-in',
		'server.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-out',
		'server.pem',
		'-days',
		'30',
		'-sha256',
		'-extfile',
		'server.ext',
	]);

	const read = (name) => fs.readFile(path.join(dir, name), 'utf8');
	return {
		dir,
		caFile: path.join(dir, 'ca.pem'),
		caPem: await read('ca.pem'),
		key: await read('server.key'),
		cert: await read('server.pem'),
		cleanup: () => fs.rm(dir, { recursive: true, force: true }),
	};
}

module.exports = { createCertificates };
