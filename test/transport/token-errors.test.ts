/**
 * A refresh token or a credential that cannot work gives a clear message, never a token value,
 * and leaves the stored credential as it was.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { recordSeen, registerToken } from '../harness/secrets';
import { endpointCount, freshCredential, spendElsewhere, useTestSandbox } from '../harness/sandbox';

const mdr = useTestSandbox();

async function failureOf(
	store: CredentialStore,
): Promise<{ message: string; description: string }> {
	try {
		await mdrRequest(nodeContext(store), { path: 'incidents/count', body: {}, kind: 'read' });
	} catch (error) {
		recordSeen(error);
		const { message, description } = error as { message: string; description?: string };
		const text = `${message} ${description ?? ''}`;
		for (const value of Object.values(store.read())) {
			if (typeof value === 'string' && value.length > 20) expect(text).not.toContain(value);
		}
		return { message, description: description ?? '' };
	}
	throw new Error('expected the request to fail');
}

it('reports a spent refresh token clearly and leaves the credential unchanged', async () => {
	const store = await freshCredential(mdr.sandbox);
	await spendElsewhere(mdr.sandbox, store.read().refreshToken as string);
	const before = store.read();

	const { message, description } = await failureOf(store);

	expect(message).toBe(
		'MDR rejected the refresh token: it was already used, has expired, or was revoked',
	);
	expect(description).toContain(
		'Create a new refresh token in the MDR Web Console → Settings → API',
	);
	expect(store.read()).toEqual(before);
	expect(store.writes).toHaveLength(0);
});

it('reports a revoked refresh token as rejected', async () => {
	const store = await freshCredential(mdr.sandbox);
	await mdr.sandbox.control.revokeTokens({ refreshToken: store.read().refreshToken });

	const { message } = await failureOf(store);

	expect(message).toMatch(/^MDR rejected the refresh token/);
	expect(store.writes).toHaveLength(0);
});

it('reports an expired refresh token with its expiry date, without calling MDR', async () => {
	const { refreshToken } = await mdr.sandbox.control.mintRefreshToken({ ttlSeconds: -3600 });
	registerToken(refreshToken);
	const store = new CredentialStore({
		clientId: mdr.sandbox.clientId,
		refreshToken,
		apiUrl: mdr.sandbox.apiUrl,
	});

	const { message, description } = await failureOf(store);

	expect(message).toMatch(
		/^The MDR refresh token expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
	);
	expect(description).toContain('Create a new refresh token');
	expect((await endpointCount(mdr.sandbox, 'session/confirm')).received).toBe(0);
});

it.each([
	['not a JWT', 'this-is-not-a-token-at-all'],
	['two parts only', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9'],
	['an unreadable payload', 'aaaa.bbbb.cccc'],
])('refuses a refresh token that is %s, without calling MDR', async (_label, refreshToken) => {
	const store = new CredentialStore({
		clientId: mdr.sandbox.clientId,
		refreshToken,
		apiUrl: mdr.sandbox.apiUrl,
	});

	const { message } = await failureOf(store);

	expect(message).toBe('The refresh token in the Kaspersky MDR credential is not an MDR token');
	expect((await endpointCount(mdr.sandbox, 'session/confirm')).received).toBe(0);
});

it('explains a confirm whose answer was lost after MDR rotated the token', async () => {
	const store = await freshCredential(mdr.sandbox);
	await mdr.sandbox.control.setFaults({
		script: [{ path: 'session/confirm', kind: 'drop-after' }],
	});

	const { message, description } = await failureOf(store);

	expect(message).toMatch(/^MDR used up the refresh token, but its answer was lost on the way/);
	expect(description).toContain('Create a new refresh token');
	expect(store.writes).toHaveLength(0);
	expect((await endpointCount(mdr.sandbox, 'session/confirm')).performed).toBe(1);
});

it('retries a confirm that never reached MDR and stores the rotation', async () => {
	const store = await freshCredential(mdr.sandbox);
	await mdr.sandbox.control.setFaults({ script: [{ path: 'session/confirm', kind: 'reset' }] });

	await mdrRequest(nodeContext(store), { path: 'incidents/count', body: {}, kind: 'read' });

	expect(store.writes).toHaveLength(1);
	expect(
		await mdr.sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

describe('credential fields that cannot work', () => {
	it.each([
		[
			'an empty Client ID',
			{ clientId: '   ' },
			'The Client ID in the Kaspersky MDR credential is empty',
		],
		[
			'a Client ID with a slash',
			{ clientId: 'abc/def' },
			'The Client ID in the Kaspersky MDR credential contains characters MDR never uses',
		],
		[
			'a Client ID of ..',
			{ clientId: '..' },
			'The Client ID in the Kaspersky MDR credential contains characters MDR never uses',
		],
		[
			'a Client ID with ?',
			{ clientId: 'abc?x=1' },
			'The Client ID in the Kaspersky MDR credential contains characters MDR never uses',
		],
		[
			'a Client ID with %',
			{ clientId: 'abc%2F' },
			'The Client ID in the Kaspersky MDR credential contains characters MDR never uses',
		],
		[
			'plain http to a remote host',
			{ apiUrl: 'http://mdr.example.com/api/v1' },
			'The API URL in the Kaspersky MDR credential must start with https://',
		],
		[
			'an API URL that is not a URL',
			{ apiUrl: 'mdr kaspersky' },
			'The API URL in the Kaspersky MDR credential is not a URL',
		],
		[
			'a Custom CA that is not PEM',
			{ customCa: 'not a certificate' },
			'The Custom CA Certificate in the Kaspersky MDR credential is not a PEM certificate',
		],
	])('refuses %s before any request', async (_label, fields, expected) => {
		const store = await freshCredential(mdr.sandbox, fields);

		const { message } = await failureOf(store);

		expect(message).toBe(expected);
		expect((await mdr.sandbox.control.getCounters()).totals.received).toBe(0);
		expect(store.writes).toHaveLength(0);
	});
});
