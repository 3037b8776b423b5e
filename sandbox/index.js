'use strict';

// startSandbox(): a local stand-in for the Kaspersky MDR REST API, with a control API for tests.

const { DEFAULT_CONFIG, mergeConfig } = require('./config');
const { createClock } = require('./clock');
const { createStore } = require('./store');
const { createTokens } = require('./tokens');
const { createCounters } = require('./counters');
const { createRequestLog } = require('./request-log');
const { createFaults } = require('./faults');
const { createMdrHandler } = require('./mdr-handler');
const { createControl } = require('./control');
const { createControlRoutes } = require('./control-routes');
const { createServer, createSleeper } = require('./server');
const { createCertificates } = require('./tls');
const { DEFAULT_TENANTS } = require('./catalog');
const { isMaterialized } = require('./lazy');

const DEFAULT_CLIENT_ID = 'a3f1c9e2-57b4-4d0e-9c61-2b8e7d4f0a15';

/**
 * Starts a sandbox. Options: port (0 = random), host, https, clientId, seed, incidents, assets,
 * tenants (names or a count), tieRate, anchorMs (the "now" data is generated around), config
 * (behaviour switches, see config.js), log (a function for one line per API request).
 *
 * Resolves to { url, apiUrl, controlUrl, clientId, connectionName, caPem, caFile, control, close }.
 */
async function startSandbox(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		https: useHttps = false,
		clientId = DEFAULT_CLIENT_ID,
		seed = 1,
		incidents = 200,
		assets = 50,
		tenants = DEFAULT_TENANTS,
		tieRate = 0.05,
		anchorMs,
		config = {},
		log,
	} = options;

	let currentConfig = mergeConfig(DEFAULT_CONFIG, config);
	const clock = createClock();
	const sleeper = createSleeper();
	const ctx = {
		clientId,
		clock,
		log,
		initialConfig: currentConfig,
		dataOptions: { seed, incidents, assets, tenants, tieRate, anchorMs },
		getConfig: () => currentConfig,
		setConfig: (next) => {
			if (next.pendingResponseStatus !== currentConfig.pendingResponseStatus) {
				renamePending(ctx.store, currentConfig.pendingResponseStatus, next.pendingResponseStatus);
			}
			currentConfig = next;
			ctx.store.invalidate(); // visibleTenants changes what lists contain
			return currentConfig;
		},
		sleep: sleeper.sleep,
	};
	ctx.store = createStore({ clock, getConfig: ctx.getConfig });
	ctx.tokens = createTokens({ clock, getConfig: ctx.getConfig, clientId });
	ctx.counters = createCounters();
	ctx.requestLog = createRequestLog();
	ctx.faults = createFaults();
	ctx.store.load(ctx.dataOptions);

	const tls = useHttps ? await createCertificates() : null;
	const control = createControl(ctx);
	const server = createServer({
		tls,
		handleApi: createMdrHandler(ctx),
		handleControl: createControlRoutes({ control, clock }),
		getConfig: ctx.getConfig,
		clock,
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const address = server.address();
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	ctx.url = `${tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`;
	ctx.apiUrl = `${ctx.url}/api/v1`;
	ctx.controlUrl = `${ctx.url}/_control`;

	let closed = false;
	async function close() {
		if (closed) return;
		closed = true;
		sleeper.cancelAll();
		await new Promise((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		if (tls) await tls.cleanup();
	}

	return {
		url: ctx.url,
		apiUrl: ctx.apiUrl,
		controlUrl: ctx.controlUrl,
		port: address.port,
		clientId,
		get connectionName() {
			return currentConfig.connectionName;
		},
		caPem: tls ? tls.caPem : undefined,
		caFile: tls ? tls.caFile : undefined,
		control: detached(control),
		close,
	};
}

/**
 * The control functions for JS callers: arguments and results are copies, so a test that edits
 * what it got (or passed) cannot reach into the sandbox's state. Results are copied through JSON
 * (as over HTTP) rather than structuredClone, whose copies belong to Node's main realm and fail
 * `instanceof Array` inside a jest test context.
 */
function detached(control) {
	const copyOut = (value) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
	return Object.fromEntries(
		Object.entries(control).map(([name, run]) => [
			name,
			async (...args) => copyOut(await run(...structuredClone(args))),
		]),
	);
}

/**
 * Keeps pending responses pending when the configured pending literal changes. Incidents whose
 * details were never read will make theirs with the new literal.
 */
function renamePending(store, from, to) {
	for (const incident of store.allIncidents()) {
		if (!isMaterialized(incident)) continue;
		for (const response of incident.responses) if (response.status === from) response.status = to;
	}
}

module.exports = { startSandbox, DEFAULT_CLIENT_ID, DEFAULT_CONFIG };
