/**
 * What a user reads when MDR refuses a request, whatever shape the error body has, and how often a
 * refusal may cost a token refresh.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { recordSeen } from '../harness/secrets';
import {
	confirmCount,
	endpointCount,
	startTestSandbox,
	usedCredential,
	type Sandbox,
} from '../harness/sandbox';

let sandbox: Sandbox;
let store: CredentialStore;

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { delayMs: 1500 } });
	store = await usedCredential(sandbox, 3600);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.clearFaults();
	await sandbox.control.resetCounters();
	await sandbox.control.setConfig({ errorFormat: 'json' });
});

async function failure(
	request: Parameters<typeof mdrRequest>[1],
): Promise<{ message: string; description?: string; httpCode?: string }> {
	try {
		await mdrRequest(nodeContext(store), request);
	} catch (error) {
		recordSeen(error);
		return error as { message: string; description?: string; httpCode?: string };
	}
	throw new Error(`${request.path} succeeded`);
}

const missingIncident = {
	path: 'incidents/details',
	body: { incident_id: 'NoSuchIncident000000' },
	kind: 'read' as const,
};

describe('an MDR error body is read into the message', () => {
	it.each([
		['json', 'MDR answered 404 to incidents/details: Incident NoSuchIncident000000 not found'],
		['json-detail', 'MDR answered 404 to incidents/details: Incident NoSuchIncident000000 not found'],
		['text', 'MDR answered 404 to incidents/details: Incident NoSuchIncident000000 not found'],
		['html', 'MDR answered 404 to incidents/details: an HTML page: "404 Not Found"'],
		['empty', 'MDR answered 404 to incidents/details'],
	])('in the format %s', async (errorFormat, message) => {
		await sandbox.control.setConfig({ errorFormat });

		const error = await failure(missingIncident);

		expect(error.message).toBe(message);
		expect(error.httpCode).toBe('404');
		expect(error.description).toBe(
			'MDR does not know this object or path. Check the ID, and check the API URL in the credential (normally https://mdr.kaspersky.com/api/v1).',
		);
		expect(await endpointCount(sandbox, 'incidents/details')).toMatchObject({ received: 1 });
	});
});

describe('a refusal of the access token', () => {
	it('costs one refresh at most per request, even when a read is retried in between', async () => {
		await sandbox.control.setFaults({
			script: [
				{ path: 'incidents/count', kind: '401' },
				{ path: 'incidents/count', kind: '503' },
				{ path: 'incidents/count', kind: '401', times: 3 },
			],
		});

		const error = await failure({
			path: 'incidents/count',
			body: {},
			kind: 'read',
			retry: { budgetMs: 10_000, baseDelayMs: 50, maxDelayMs: 200 },
		});

		expect(error.message).toBe(
			'MDR answered 401 to incidents/count: The access token is not accepted',
		);
		expect(error.description).toContain('did not accept the access token even after a refresh');
		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect((await endpointCount(sandbox, 'incidents/count')).received).toBe(3);
	});

	it('403 from a connection without the REST API role is reported as a permission problem', async () => {
		await sandbox.control.setFaults({
			script: [{ path: 'incidents/count', kind: '403', times: 2 }],
		});

		const error = await failure({ path: 'incidents/count', body: {}, kind: 'read' });

		expect(error.message).toBe(
			'MDR answered 403 to incidents/count: The API connection may not do this',
		);
		expect(error.description).toContain('may lack the REST API role');
		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(store.read().refreshToken).toBeTruthy();
		expect(
			await sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
		).toMatchObject({ valid: true });
	});
});

describe('writes', () => {
	it('that time out are not repeated, and the error says the change may have been applied', async () => {
		await sandbox.control.setFaults({ script: [{ path: 'comments/create', kind: 'delay' }] });
		const [incident] = (await sandbox.control.listIncidents({
			fields: 'incident_id',
		} as never)) as Array<{ incident_id: string }>;

		const error = await failure({
			path: 'comments/create',
			body: { incident_id: incident.incident_id, text: 'sent once' },
			kind: 'write',
			timeoutMs: 300,
		});

		expect(error.message).toBe(
			'The connection to MDR failed during comments/create (the request timed out): MDR may or may not have applied this change',
		);
		expect(error.description).toContain('sent once and not repeated');
		expect((await endpointCount(sandbox, 'comments/create')).received).toBe(1);
	});
});
