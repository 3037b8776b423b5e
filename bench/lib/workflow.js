'use strict';

// The benchmark workflow: one workflow, one Webhook per measured chain ("respond when last node
// finishes"), so that a single publish makes every chain callable at /webhook/<path>.

const { randomUUID } = require('crypto');

const MDR_NODE = 'n8n-nodes-kaspersky-mdr.kasperskyMdr';
const PLAIN_NODE = 'n8n-nodes-bench-plain-baseline.plainMdr';

function chain(row, path, responseData, steps) {
	const nodes = [
		{
			id: randomUUID(),
			name: `${path} webhook`,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, row * 200],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData, options: {} },
		},
	];
	steps.forEach((step, i) => {
		nodes.push({
			id: randomUUID(),
			position: [220 * (i + 1), row * 200],
			...step,
			name: `${path} ${step.name}`,
		});
	});
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes, connections };
}

const splitItems = {
	name: 'split',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
};

const summarize = {
	name: 'summary',
	type: 'n8n-nodes-base.summarize',
	typeVersion: 1.1,
	parameters: {
		fieldsToSummarize: {
			values: [
				{ aggregation: 'count', field: 'incident_id' },
				{ aggregation: 'countUnique', field: 'incident_id' },
			],
		},
		options: {},
	},
};

function mdr(name, parameters, creds, extra = {}) {
	return {
		name,
		type: MDR_NODE,
		typeVersion: 1,
		parameters,
		credentials: { kasperskyMdrApi: { id: creds.mdr, name: 'MDR' } },
		...extra,
	};
}

function httpRequest(name, parameters, creds) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBearerAuth',
			...parameters,
		},
		credentials: { httpBearerAuth: { id: creds.bearer, name: 'Bearer' } },
	};
}

const getById = { __rl: true, mode: 'id', value: '={{ $json.id }}' };

/** `creds`: {mdr, mdrRefresh, plain, bearer} credential ids; `api`: {apiUrl, clientId}. */
function benchWorkflow(id, creds, api, pageSize) {
	const base = `${api.apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(api.clientId)}`;
	const chains = [
		chain(0, 'refresh-ours', 'allEntries', [
			splitItems,
			{
				...mdr(
					'get',
					{ resource: 'incident', operation: 'get', incidentId: getById, simplify: true },
					{ mdr: creds.mdrRefresh },
				),
				onError: 'continueRegularOutput',
			},
		]),
		chain(1, 'refresh-plain', 'allEntries', [
			splitItems,
			{
				name: 'get',
				type: PLAIN_NODE,
				typeVersion: 1,
				parameters: { incidentId: '={{ $json.id }}' },
				credentials: { plainMdrApi: { id: creds.plain, name: 'Plain' } },
				onError: 'continueRegularOutput',
			},
		]),
		chain(2, 'export-ours', 'firstEntryJson', [
			mdr(
				'getMany',
				{
					resource: 'incident',
					operation: 'getMany',
					returnAll: true,
					sort: 'creation_time:desc',
					simplify: false,
				},
				creds,
			),
			summarize,
		]),
		chain(3, 'export-http', 'firstEntryJson', [
			httpRequest(
				'list',
				{
					method: 'POST',
					url: `${base}/incidents/list`,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody: JSON.stringify({ sort: 'creation_time:desc', page_size: pageSize }),
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: {
									parameters: [{ type: 'body', name: 'page', value: '={{ $pageCount + 1 }}' }],
								},
								paginationCompleteWhen: 'other',
								completeExpression: `={{ $response.body.length < ${pageSize} }}`,
								// MDR refuses pages past its 10,000-result window: a user of this node has to stop there.
								limitPagesFetched: true,
								maxRequests: Math.floor(10000 / pageSize),
							},
						},
					},
				},
				creds,
			),
			summarize,
		]),
		chain(4, 'item-ours', 'firstEntryJson', [
			splitItems,
			mdr(
				'get',
				{ resource: 'incident', operation: 'get', incidentId: getById, simplify: false },
				creds,
			),
			summarize,
		]),
		chain(5, 'item-http', 'firstEntryJson', [
			splitItems,
			httpRequest(
				'details',
				{
					method: 'POST',
					url: `${base}/incidents/details`,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'keypair',
					bodyParameters: { parameters: [{ name: 'incident_id', value: '={{ $json.id }}' }] },
					options: {},
				},
				creds,
			),
			summarize,
		]),
	];
	return {
		id,
		name: 'MDR benchmarks',
		active: false,
		nodes: chains.flatMap((c) => c.nodes),
		connections: Object.assign({}, ...chains.map((c) => c.connections)),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

module.exports = { benchWorkflow };
