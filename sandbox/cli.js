#!/usr/bin/env node
'use strict';

// `npm run sandbox` / `node sandbox/cli.js`: runs the MDR sandbox until Ctrl-C and prints what to
// paste into an n8n credential. `--json` prints one line for scripts instead.

const { parseArgs } = require('node:util');
const { startSandbox } = require('./index');

const USAGE = `Usage: node sandbox/cli.js [options]

  --port N              port to listen on (default 8787, 0 = any free port)
  --host HOST           address to bind (default 127.0.0.1)
  --https               serve HTTPS with a throwaway CA (its file is printed)
  --incidents N         number of seeded incidents (default 200)
  --assets N            number of seeded assets (default 50)
  --seed N              data seed (default 1)
  --tie-rate R          share of incidents sharing an update_time with another (default 0.05)
  --client-id ID        the Client ID to accept
  --expired-status S    status for an expired access token: 401 (default) or 403
  --error-format F      json | json-detail | text | html | empty
  --config JSON         any other behaviour switches, as a JSON object
  --json                print one JSON line {apiUrl, clientId, refreshToken, controlUrl, caFile}
  --verbose             log one line per API request (never tokens)
  --help                show this text`;

function number(name, value) {
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number`);
	return parsed;
}

function readOptions(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			https: { type: 'boolean', default: false },
			incidents: { type: 'string' },
			assets: { type: 'string' },
			seed: { type: 'string' },
			'tie-rate': { type: 'string' },
			'client-id': { type: 'string' },
			'expired-status': { type: 'string' },
			'error-format': { type: 'string' },
			config: { type: 'string' },
			json: { type: 'boolean', default: false },
			verbose: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	const config = values.config ? JSON.parse(values.config) : {};
	if (values['expired-status']) {
		config.expiredAccessStatus = number('expired-status', values['expired-status']);
	}
	if (values['error-format']) config.errorFormat = values['error-format'];
	const options = {
		port: number('port', values.port),
		host: values.host,
		https: values.https,
		config,
	};
	if (values.incidents) options.incidents = number('incidents', values.incidents);
	if (values.assets) options.assets = number('assets', values.assets);
	if (values.seed) options.seed = number('seed', values.seed);
	if (values['tie-rate']) options.tieRate = number('tie-rate', values['tie-rate']);
	if (values['client-id']) options.clientId = values['client-id'];
	if (values.verbose) options.log = (line) => process.stderr.write(`${line}\n`);
	return { options, json: values.json, help: values.help };
}

function banner(sandbox, refreshToken) {
	const lines = [
		'Kaspersky MDR sandbox is running.',
		'',
		`  API URL:        ${sandbox.apiUrl}`,
		`  Client ID:      ${sandbox.clientId}`,
		`  Refresh token:  ${refreshToken}`,
		'                  (single use; valid 24 h; the credential rotates it from then on)',
		`  Control API:    ${sandbox.controlUrl}`,
	];
	if (sandbox.caFile) {
		lines.push(`  CA file:        ${sandbox.caFile}  (add it to the trusted CAs of the client)`);
	}
	lines.push(
		'',
		'Paste the API URL, Client ID and refresh token into the n8n credential.',
		`Another refresh token: curl -X POST ${sandbox.controlUrl}/tokens/mint`,
		'Press Ctrl-C to stop.',
	);
	return lines.join('\n');
}

async function main(argv = process.argv.slice(2)) {
	let parsed;
	try {
		parsed = readOptions(argv);
	} catch (error) {
		process.stderr.write(`${error.message}\n\n${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	if (parsed.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}

	const sandbox = await startSandbox(parsed.options);
	// The one place a token is printed on purpose: the user needs it for the credential.
	const { refreshToken } = await sandbox.control.mintRefreshToken();
	if (parsed.json) {
		const line = {
			apiUrl: sandbox.apiUrl,
			clientId: sandbox.clientId,
			refreshToken,
			controlUrl: sandbox.controlUrl,
			caFile: sandbox.caFile ?? null,
		};
		process.stdout.write(`${JSON.stringify(line)}\n`);
	} else {
		process.stdout.write(`${banner(sandbox, refreshToken)}\n`);
	}

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`mdr-sandbox: ${error.message}\n`);
		process.exit(1);
	});
}

module.exports = { main };
