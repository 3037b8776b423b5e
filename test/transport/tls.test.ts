/**
 * The credential's TLS settings reach every request, session/confirm included.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { recordSeen } from '../harness/secrets';
import { endpointCount, freshCredential, startTestSandbox, type Sandbox } from '../harness/sandbox';

let sandbox: Sandbox;
let otherCa: string;

beforeAll(async () => {
	sandbox = await startTestSandbox({ https: true });
	const other = await startTestSandbox({ https: true });
	otherCa = other.caPem as string;
	await other.close();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.resetCounters();
});

async function count(store: CredentialStore): Promise<number> {
	const answer = await mdrRequest<{ count: number }>(nodeContext(store), {
		path: 'incidents/count',
		body: {},
		kind: 'read',
	});
	return answer.count;
}

async function failureOf(
	store: CredentialStore,
): Promise<{ message: string; description: string }> {
	try {
		await count(store);
	} catch (error) {
		recordSeen(error);
		const { message, description } = error as { message: string; description?: string };
		return { message, description: description ?? '' };
	}
	throw new Error('expected the request to fail');
}

it('trusts the server through the Custom CA Certificate, for the confirm and the call', async () => {
	const store = await freshCredential(sandbox, { customCa: sandbox.caPem as string });

	expect(await count(store)).toBe(50);
	expect(store.writes).toHaveLength(1);
});

it('refuses a server signed by another CA and keeps the refresh token unspent', async () => {
	const store = await freshCredential(sandbox, { customCa: otherCa });

	const { message, description } = await failureOf(store);

	expect(message).toMatch(/^The MDR server's TLS certificate is not trusted/);
	expect(description).toContain('The credential has a Custom CA Certificate');
	expect(description).toContain('The refresh token was not sent');
	expect((await endpointCount(sandbox, 'session/confirm')).received).toBe(0);
	expect(
		await sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

it('explains an untrusted certificate and how to add the proxy CA', async () => {
	const store = await freshCredential(sandbox);

	const { message, description } = await failureOf(store);

	expect(message).toMatch(/^The MDR server's TLS certificate is not trusted/);
	expect(description).toContain('Custom CA Certificate');
	expect(description).toContain('NODE_EXTRA_CA_CERTS');
});

it('connects without verification when Ignore SSL Issues is on', async () => {
	const store = await freshCredential(sandbox, { ignoreSslIssues: true });

	expect(await count(store)).toBe(50);
});
