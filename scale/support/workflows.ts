/** The credentials and workflows the scale suite imports into n8n. */
import { createHash, randomUUID } from 'crypto';

import * as rt from '../../e2e/support/runtime';

export interface TokenPair {
	refreshToken: string;
	accessToken?: string;
}

function jwtPayload(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The token's id (jti): safe to log and compare, unlike the token. */
export function jtiOf(token: string): string {
	return String(jwtPayload(token).jti);
}

/**
 * A Kaspersky MDR credential as `n8n import:credentials` takes it. With an access token, the hidden
 * bookkeeping is filled in the way the credential itself stores it after a refresh, so n8n starts
 * from "an access token issued for this refresh token, expiring at its exp".
 */
export function mdrCredential(
	id: string,
	name: string,
	connection: { clientId: string; apiUrl: string },
	tokens: TokenPair,
): object {
	const data: Record<string, unknown> = {
		clientId: connection.clientId,
		refreshToken: tokens.refreshToken,
		apiUrl: connection.apiUrl,
		customCa: '',
		ignoreSslIssues: false,
	};
	if (tokens.accessToken) {
		data.accessToken = tokens.accessToken;
		data.accessTokenExpiresAt = String(Number(jwtPayload(tokens.accessToken).exp) * 1000);
		data.accessTokenIssuedFor = createHash('sha256').update(tokens.refreshToken.trim()).digest('hex').slice(0, 32);
		data.sessionGate = '';
	}
	return { id, name, type: rt.CREDENTIAL_TYPE, data };
}

const COUNT = { resource: 'incident', operation: 'count' };
const GET_ONE = { resource: 'incident', operation: 'getMany', returnAll: false, limit: 1 };

/**
 * Webhook (answers with the last node's output when it finishes) → the given MDR steps in a line.
 * A production webhook runs on a worker in queue mode; main only enqueues it and waits.
 */
export function webhookWorkflow(
	id: string,
	name: string,
	webhookPath: string,
	credentialId: string,
	steps: Array<Record<string, unknown>>,
): object {
	const credentials = { [rt.CREDENTIAL_TYPE]: { id: credentialId, name } };
	const nodes: object[] = [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
		},
	];
	const connections: Record<string, object> = {};
	let previous = 'Webhook';
	steps.forEach((parameters, index) => {
		const nodeName = `MDR ${index + 1}`;
		nodes.push({
			id: randomUUID(),
			name: nodeName,
			type: rt.NODE_TYPE,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters,
			credentials,
		});
		connections[previous] = { main: [[{ node: nodeName, type: 'main', index: 0 }]] };
		previous = nodeName;
	});
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Five MDR calls: count, one incident, count, one incident, count. */
export const FIVE_CALLS = [COUNT, GET_ONE, COUNT, GET_ONE, COUNT];
export const ONE_CALL = [COUNT];

export const DELIVERED = 'Delivered by the Kaspersky MDR Trigger (scale)';

/** Trigger (new incidents, every minute) → a comment on each delivered incident, with its eventId. */
export function triggerWorkflow(id: string, credentialId: string): object {
	const credentials = { [rt.CREDENTIAL_TYPE]: { id: credentialId, name: 'MDR trigger' } };
	return {
		id,
		name: 'Scale: comment on new incidents',
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				id: randomUUID(),
				name: 'New Incident',
				type: rt.TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['newIncident'] },
				credentials,
			},
			{
				id: randomUUID(),
				name: 'Comment',
				type: rt.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'comment',
					operation: 'create',
					incidentId: { __rl: true, mode: 'id', value: '={{ $json.incidentId }}' },
					text: `={{ ${JSON.stringify(DELIVERED)} + ' ' + $json.eventId }}`,
				},
				credentials,
			},
		],
		connections: { 'New Incident': { main: [[{ node: 'Comment', type: 'main', index: 0 }]] } },
	};
}
