'use strict';

// The control operations, as async functions. The HTTP control API (control-routes.js) and the
// `control` object returned by startSandbox() are two doors to these same functions.

const { mergeConfig } = require('./config');
const { createControlData, ControlError } = require('./control-data');

function createControl(ctx) {
	const { store, tokens, counters, requestLog, faults, clock } = ctx;
	const dataOps = createControlData({ store, clock, getConfig: ctx.getConfig });

	async function checkToken({ refreshToken, accessToken } = {}) {
		if (refreshToken !== undefined) {
			const { valid, reason } = await tokens.checkRefresh(refreshToken);
			return { valid, reason };
		}
		if (accessToken !== undefined) {
			const { ok, reason = 'ok' } = await tokens.checkAccess(accessToken);
			return { valid: ok, reason };
		}
		throw new ControlError(400, 'give refreshToken or accessToken');
	}

	async function reset(options = {}) {
		const { tokens: clearTokens, resetConfig, ...dataOptions } = options;
		if (resetConfig) ctx.setConfig(ctx.initialConfig);
		Object.assign(ctx.dataOptions, dataOptions);
		const loaded = store.load(ctx.dataOptions);
		counters.reset();
		requestLog.clear();
		faults.clear();
		if (clearTokens) tokens.clear();
		return { ...loaded, tenants: store.allTenants().map((t) => t.tenant_name) };
	}

	const control = {
		// Tokens
		mintRefreshToken: async ({ ttlSeconds } = {}) => tokens.mintConsoleRefresh({ ttlSeconds }),
		mintTokenPair: async (options = {}) => tokens.mintPair(options),
		revokeTokens: async (options = {}) => tokens.revoke(options),
		expireAccessTokens: async () => tokens.expireAccess(),
		checkToken,

		// Observation
		getCounters: async () => counters.snapshot(),
		resetCounters: async () => {
			counters.reset();
			return counters.snapshot();
		},
		getRequests: async (options = {}) => requestLog.query(options),

		// Behaviour
		getConfig: async () => ctx.getConfig(),
		setConfig: async (partial) => ctx.setConfig(mergeConfig(ctx.getConfig(), partial)),
		getFaults: async () => faults.snapshot(),
		setFaults: async (spec) => faults.set(spec),
		clearFaults: async () => faults.clear(),
		getClock: async () => clock.state(),
		setClock: async (options = {}) => clock.set(options),

		// Data
		reset,
		createIncident: async (fields) => dataOps.createIncident(fields),
		updateIncident: async (id, changes) => dataOps.updateIncident(id, changes),
		addComment: async (id, comment) => dataOps.addComment(id, comment),
		addResponse: async (id, response) => dataOps.addResponse(id, response),
		addAttachment: async (id, attachment) => dataOps.addAttachment(id, attachment),
		updateResponse: async (id, changes) => dataOps.updateResponse(id, changes),
		listIncidents: async (options = {}) => dataOps.listIncidents(options),
		getIncident: async (id) => dataOps.getIncident(id),
		listAssets: async () => store.assets(),
		listTenants: async () => store.allTenants(),

		info: async () => ({
			url: ctx.url,
			apiUrl: ctx.apiUrl,
			controlUrl: ctx.controlUrl,
			clientId: ctx.clientId,
			connectionName: ctx.getConfig().connectionName,
			seed: store.seed(),
			incidents: store.allIncidents().length,
			assets: store.assets().length,
			tenants: store.allTenants().map((t) => t.tenant_name),
			clock: clock.state(),
		}),
	};
	return control;
}

module.exports = { createControl, ControlError };
