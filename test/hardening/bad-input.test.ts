/**
 * The bad-input matrix: what a user can get wrong in the credential or the node's parameters.
 * Each case asserts the message the user reads, and that the refresh token stored in the
 * credential still works afterwards (or, where the case is a dead token, that nothing was stored).
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CredentialStore, runNode } from '../harness/n8n';
import { registerToken } from '../harness/secrets';
import { freshCredential, startTestSandbox, usedCredential, type Sandbox } from '../harness/sandbox';

let sandbox: Sandbox;
let htmlServer: Server;
let htmlUrl: string;
let incidentId: string;

beforeAll(async () => {
	sandbox = await startTestSandbox({ incidents: 30 });
	const [incident] = (await sandbox.control.listIncidents()) as Array<{ incident_id: string }>;
	incidentId = incident.incident_id;

	// A captive portal or proxy that answers every path with a login page.
	htmlServer = createServer((_request, response) => {
		response.writeHead(200, { 'Content-Type': 'text/html' });
		response.end('<html><head><title>Corporate Proxy Login</title></head><body>Sign in</body></html>');
	});
	await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
	htmlUrl = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
	await sandbox.close();
	await new Promise((resolve) => htmlServer.close(resolve));
});

const countIncidents = { resource: 'incident', operation: 'count' };
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

type Credential = 'fresh' | 'used' | 'spent' | 'revoked' | 'expired' | 'garbage';

interface Case {
	name: string;
	credential?: Credential;
	fields?: (context: { sandbox: Sandbox; htmlUrl: string }) => IDataObject;
	parameters: () => IDataObject;
	input?: () => INodeExecutionData[];
	setup?: () => Promise<void>;
	message: RegExp;
	description?: RegExp;
}

async function credentialFor(kind: Credential, fields: IDataObject): Promise<CredentialStore> {
	if (kind === 'garbage') {
		return new CredentialStore({ clientId: sandbox.clientId, apiUrl: sandbox.apiUrl, ...fields });
	}
	if (kind === 'used') return await usedCredential(sandbox, 3600, fields as never);
	if (kind === 'expired') {
		const { refreshToken } = await sandbox.control.mintRefreshToken({ ttlSeconds: -60 });
		registerToken(refreshToken);
		return new CredentialStore({ clientId: sandbox.clientId, apiUrl: sandbox.apiUrl, refreshToken, ...fields });
	}
	const store = await freshCredential(sandbox, fields as never);
	const token = store.read().refreshToken as string;
	if (kind === 'spent') {
		const answer = await fetch(`${sandbox.apiUrl}/${sandbox.clientId}/session/confirm`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ refresh_token: token }),
		});
		const rotated = (await answer.json()) as { access_token: string; refresh_token: string };
		registerToken(rotated.access_token);
		registerToken(rotated.refresh_token);
	}
	if (kind === 'revoked') await sandbox.control.revokeTokens({ refreshToken: token });
	return store;
}

const CASES: Case[] = [
	// The credential
	{ name: 'an empty Client ID', fields: () => ({ clientId: '' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential is empty$/ },
	{ name: 'a whitespace Client ID', fields: () => ({ clientId: '   ' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential is empty$/ },
	{ name: 'a Client ID with /', fields: () => ({ clientId: 'tenant/../x' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential contains characters MDR never uses$/ },
	{ name: 'a Client ID of ..', fields: () => ({ clientId: '..' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential contains characters MDR never uses$/ },
	{ name: 'a Client ID with ?', fields: () => ({ clientId: 'abc?admin=1' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential contains characters MDR never uses$/ },
	{ name: 'a Client ID with %', fields: () => ({ clientId: 'abc%2e%2e' }), parameters: () => countIncidents, message: /^The Client ID in the Kaspersky MDR credential contains characters MDR never uses$/ },
	{ name: 'a refresh token that is not a JWT', credential: 'garbage', fields: () => ({ refreshToken: 'copy-paste-went-wrong' }), parameters: () => countIncidents, message: /^The refresh token in the Kaspersky MDR credential is not an MDR token$/ },
	{ name: 'an expired refresh token', credential: 'expired', parameters: () => countIncidents, message: /^The MDR refresh token expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/, description: /Create a new refresh token in the MDR Web Console → Settings → API/ },
	{ name: 'a spent refresh token', credential: 'spent', parameters: () => countIncidents, message: /^MDR rejected the refresh token: it was already used, has expired, or was revoked$/ },
	{ name: 'a revoked refresh token', credential: 'revoked', parameters: () => countIncidents, message: /^MDR rejected the refresh token: it was already used, has expired, or was revoked$/ },
	{ name: 'an http API URL to a remote host', fields: () => ({ apiUrl: 'http://mdr.kaspersky.com/api/v1' }), parameters: () => countIncidents, message: /^The API URL in the Kaspersky MDR credential must start with https:\/\/$/ },
	{ name: 'an API URL with a path typo', fields: ({ sandbox: s }) => ({ apiUrl: s.apiUrl.replace('/api/v1', '/api/v2') }), parameters: () => countIncidents, message: /^MDR's token endpoint was not found at http:\/\/127\.0\.0\.1:\d+\/api\/v2 for this Client ID \(404\)$/, description: /The refresh token was not used, so it is still valid/ },
	{ name: 'an API URL that answers with an HTML page', fields: ({ htmlUrl: url }) => ({ apiUrl: url }), parameters: () => countIncidents, message: /^MDR answered the token refresh without a new access token and refresh token$/ },
	{ name: 'a Custom CA that is not PEM', fields: () => ({ customCa: 'MIIB-not-a-certificate' }), parameters: () => countIncidents, message: /^The Custom CA Certificate in the Kaspersky MDR credential is not a PEM certificate$/ },

	// The node's parameters
	{ name: 'an incident ID that does not exist', credential: 'used', parameters: () => ({ resource: 'incident', operation: 'get', incidentId: byId('AAAAAAAAAAAAAAAAAAAA') }), message: /^MDR answered 404 to incidents\/details/ },
	{ name: 'a response ID that does not exist', credential: 'used', parameters: () => ({ resource: 'response', operation: 'confirm', responseId: 'MDR_00000000-0000-0000-0000-000000000000', comment: 'ok' }), message: /^MDR answered 404 to response\/update: Response MDR_0{8}-0{4}-0{4}-0{4}-0{12} not found$/ },
	{ name: 'a comment ID that does not exist', credential: 'used', parameters: () => ({ resource: 'comment', operation: 'delete', commentId: 'no-such-comment' }), message: /^MDR answered 404 to comments\/delete/ },
	{ name: 'an attachment ID that does not exist', credential: 'used', parameters: () => ({ resource: 'attachment', operation: 'download', incidentId: byId(incidentId), attachmentId: 'no-such-attachment' }), message: /has no attachment with ID no-such-attachment$/ },
	{ name: 'an empty incident ID typed in the editor', credential: 'used', parameters: () => ({ resource: 'incident', operation: 'get', incidentId: byId('') }), message: /^The 'Kaspersky MDR' node has issues:\n- Parameter "Incident" is required\./ },
	{ name: 'an empty incident ID mapped from a previous node', credential: 'used', parameters: () => ({ resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') }), input: () => [{ json: { id: '' } }], message: /^No incident is selected$/ },
	{ name: 'an empty comment text', credential: 'used', parameters: () => ({ resource: 'comment', operation: 'create', incidentId: byId(incidentId), text: '  ' }), message: /is empty$/ },
	{ name: 'a malformed date', credential: 'used', parameters: () => ({ resource: 'incident', operation: 'getMany', returnAll: false, limit: 5, filters: { min_creation_time: '2026-13-45 25:99' } }), message: /is not a valid date/ },
	{ name: 'a limit of 0', credential: 'used', parameters: () => ({ resource: 'incident', operation: 'getMany', returnAll: false, limit: 0 }), message: /^Limit must be 1 or more \(it is 0\)$/ },
	{ name: 'a negative limit', credential: 'used', parameters: () => ({ resource: 'asset', operation: 'getMany', returnAll: false, limit: -3 }), message: /^Limit must be 1 or more \(it is -3\)$/ },
	{ name: 'invalid JSON in Custom API Call', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: 'incidents/list', body: '{"page": 1,' }), message: /^The Body is not valid JSON$/ },
	{ name: 'a Custom API Call path that is an absolute URL', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: 'https://evil.example/steal', body: '{}' }), message: /^The Path 'https:\/\/evil\.example\/steal' is a URL, not a path$/ },
	{ name: 'a Custom API Call path starting with //host', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: '//evil.example/x', body: '{}' }), message: /^The Path '\/\/evil\.example\/x' is a URL, not a path$/ },
	{ name: 'a Custom API Call path with ../', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: '../other-client/incidents/list', body: '{}' }), message: /tries to leave the API with '\.' or '\.\.'$/ },
	{ name: 'a Custom API Call path with encoded dots', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: '%2e%2e/%2e%2e/admin', body: '{}' }), message: /contains percent-encoding$/ },
	{ name: 'a Custom API Call path with an encoded slash', credential: 'used', parameters: () => ({ resource: 'customApiCall', operation: 'call', path: 'incidents%2F..%2Flist', body: '{}' }), message: /contains percent-encoding$/ },
	{ name: 'an attachment over the size limit', credential: 'used', parameters: () => ({ resource: 'attachment', operation: 'download', incidentId: byId(bigAttachment.incidentId), attachmentId: bigAttachment.attachmentId, maxFileSizeMb: 0.000001 }), message: /over the Max File Size of/ },
	{ name: 'an upload from a binary property that does not exist', credential: 'used', parameters: () => ({ resource: 'attachment', operation: 'upload', incidentId: byId(incidentId), binaryPropertyName: 'evidence', caption: 'x' }), message: /^The input item has no binary field 'evidence'$/ },
	{ name: 'MDR answering 200 with a body that is not JSON', credential: 'used', setup: async () => { await sandbox.control.setConfig({ brokenJsonPaths: ['incidents/count'] }); }, parameters: () => countIncidents, message: /^MDR answered incidents\/count with something that is not JSON/ },
];

const bigAttachment = { incidentId: '', attachmentId: '' };

beforeAll(async () => {
	const incidents = (await sandbox.control.listIncidents()) as Array<{
		incident_id: string;
		attachments: Array<{ attachment_id: string }>;
	}>;
	const withAttachment = incidents.find((incident) => incident.attachments.length > 0)!;
	bigAttachment.incidentId = withAttachment.incident_id;
	bigAttachment.attachmentId = withAttachment.attachments[0].attachment_id;
});

afterEach(async () => {
	await sandbox.control.setConfig({ brokenJsonPaths: [] });
});

it('has at least 25 cases', () => {
	expect(CASES.length).toBeGreaterThanOrEqual(25);
});

it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
	const kind = entry.credential ?? 'fresh';
	const store = await credentialFor(kind, entry.fields?.({ sandbox, htmlUrl }) ?? {});
	const before = store.read();
	await entry.setup?.();

	const { error } = await runNode(store, entry.parameters(), entry.input?.() ?? [{ json: {} }]);

	expect(error?.message).toMatch(entry.message);
	if (entry.description) expect(error?.description ?? '').toMatch(entry.description);
	const stored = store.read();
	if (kind === 'fresh' || kind === 'used') {
		expect(await sandbox.control.checkToken({ refreshToken: stored.refreshToken as string })).toMatchObject({
			valid: true,
		});
	} else {
		expect(stored).toEqual(before);
	}
});
