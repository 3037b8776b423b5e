'use strict';

/**
 * The idle-poll benchmark, in its own process so nothing else runs on its event loop (the sandbox
 * is another process). Runs the built trigger (dist/) in n8n-core's real PollContext with a
 * credentials helper that treats preAuthentication as n8n does (same rules as test/harness/n8n.ts).
 *
 * CPU attributed to the package for one poll =
 *     process CPU (user+system) across poll()
 *   - process CPU spent inside helpers.httpRequestWithAuthentication (n8n-core + HTTP client)
 *   + process CPU spent inside the credential's preAuthentication and authenticate (package code
 *     that n8n calls from within that helper).
 * process.cpuUsage() is per process; nothing else runs here, so the split is exact up to GC.
 *
 * Input through the environment (never printed): BENCH_API_URL, BENCH_CLIENT_ID, BENCH_CONTROL_URL,
 * BENCH_REFRESH_TOKEN, BENCH_POLLS. Output: one JSON line.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');

process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'mdr-bench-poll-'));

const root = path.resolve(__dirname, '..', '..');
const fromRoot = (id) => require(require.resolve(id, { paths: [root] }));
const { ExecutionLifecycleHooks, PollContext } = fromRoot('n8n-core');
const { ICredentialsHelper, Workflow } = fromRoot('n8n-workflow');
const { KasperskyMdrApi } = require(
	path.join(root, 'dist/credentials/KasperskyMdrApi.credentials.js'),
);
const { KasperskyMdrTrigger } = require(
	path.join(root, 'dist/nodes/KasperskyMdrTrigger/KasperskyMdrTrigger.node.js'),
);

const cpuMs = (usage) => (usage.user + usage.system) / 1000;

/** CPU and wall time spent inside wrapped functions (they never overlap in this process). */
const inside = { helperCpu: 0, hookCpu: 0 };

function measured(fn, key) {
	return async function (...args) {
		const start = process.cpuUsage();
		try {
			return await fn.apply(this, args);
		} finally {
			inside[key] += cpuMs(process.cpuUsage(start));
		}
	};
}

const credentialType = new KasperskyMdrApi();
const rawPreAuth = credentialType.preAuthentication;
const rawAuthenticate = credentialType.authenticate;
credentialType.preAuthentication = measured(rawPreAuth, 'hookCpu');

let stored = {
	clientId: process.env.BENCH_CLIENT_ID,
	refreshToken: process.env.BENCH_REFRESH_TOKEN,
	apiUrl: process.env.BENCH_API_URL,
};

class Helper extends ICredentialsHelper {
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(credentials, _type, options) {
		const start = process.cpuUsage();
		try {
			return await rawAuthenticate(credentials, options);
		} finally {
			inside.hookCpu += cpuMs(process.cpuUsage(start));
		}
	}
	async preAuthentication(helpers, credentials, _type, _node, expired) {
		const gate = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable,
		);
		if (credentials[gate.name] !== '' && !expired) return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[gate.name] === undefined) return undefined;
		Object.assign(credentials, output);
		stored = { ...credentials };
		return credentials;
	}
	async runPreAuthentication(helpers, credentials) {
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return output.sessionGate === undefined ? undefined : { ...credentials, ...output };
	}
	async getCredentials() {
		throw new Error('not used');
	}
	async getDecrypted() {
		const data = { ...stored };
		for (const p of credentialType.properties)
			if (data[p.name] === undefined) data[p.name] = p.default;
		return data;
	}
	async updateCredentials(_d, _t, data) {
		stored = { ...data };
	}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return credentialType.properties;
	}
}

const trigger = new KasperskyMdrTrigger();
const nodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
};

function additionalData(workflow) {
	const hooks = new ExecutionLifecycleHooks('trigger', 'bench-1', {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: true,
		settings: {},
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const base = 'http://localhost:5678';
	return {
		credentialsHelper: new Helper(),
		hooks,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	};
}

let staticData = {};

async function poll() {
	const node = {
		id: 't1',
		name: 'Kaspersky MDR Trigger',
		type: 'n8n-nodes-kaspersky-mdr.kasperskyMdrTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { events: ['newIncident', 'incidentUpdated', 'newComment'] },
		credentials: { kasperskyMdrApi: { id: 'c1', name: 'MDR' } },
	};
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'bench',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: JSON.parse(JSON.stringify(staticData)),
		settings: {},
	});
	const context = new PollContext(workflow, node, additionalData(workflow), 'trigger', 'activate');
	context.helpers.httpRequestWithAuthentication = measured(
		context.helpers.httpRequestWithAuthentication,
		'helperCpu',
	);
	inside.helperCpu = 0;
	inside.hookCpu = 0;
	const wallStart = process.hrtime.bigint();
	const cpuStart = process.cpuUsage();
	const result = await trigger.poll.call(context);
	const totalCpu = cpuMs(process.cpuUsage(cpuStart));
	const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
	staticData = JSON.parse(JSON.stringify(workflow.staticData));
	return {
		items: result?.[0]?.length ?? 0,
		totalCpu,
		helperCpu: inside.helperCpu,
		hookCpu: inside.hookCpu,
		packageCpu: totalCpu - inside.helperCpu + inside.hookCpu,
		wallMs,
	};
}

async function received() {
	const res = await fetch(`${process.env.BENCH_CONTROL_URL}/counters`);
	const counters = await res.json();
	return counters.totals.received;
}

async function main() {
	const polls = Number(process.env.BENCH_POLLS || 40);
	const first = await poll(); // sets the cursor (and refreshes the token)
	for (let i = 0; i < 3; i++) await poll(); // warm-up: JIT, connection pool
	const runs = [];
	for (let i = 0; i < polls; i++) {
		const before = await received();
		const run = await poll();
		run.requests = (await received()) - before;
		runs.push(run);
	}
	process.stdout.write(`${JSON.stringify({ first: { items: first.items }, runs })}\n`);
}

main().catch((error) => {
	process.stderr.write(
		`idle-poll failed: ${String(error.message).replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')}\n`,
	);
	process.exit(1);
});
