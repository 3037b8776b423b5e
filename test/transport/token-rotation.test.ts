/**
 * The refresh-token chain, through n8n's engine and the real credential code: when a confirm
 * happens, that its rotation is stored, and that one refresh token is spent at most once.
 */
import { tokenFingerprint } from '../../nodes/KasperskyMdr/transport/token';
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { registerToken } from '../harness/secrets';
import {
	confirmCount,
	endpointCount,
	freshCredential,
	startTestSandbox,
	usedCredential,
	type Sandbox,
} from '../harness/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.resetCounters();
	await sandbox.control.setConfig({ expiredAccessStatus: 401 });
});

async function countIncidents(store: CredentialStore): Promise<number> {
	const answer = await mdrRequest<{ count: number }>(nodeContext(store), {
		path: 'incidents/count',
		body: {},
		kind: 'read',
	});
	return answer.count;
}

describe('first use of a console refresh token', () => {
	it('spends it once, stores the rotated refresh token and the access token, and answers', async () => {
		const store = await freshCredential(sandbox);
		const consoleToken = store.read().refreshToken as string;

		expect(await countIncidents(store)).toBe(50);

		const stored = store.read();
		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(store.writes).toHaveLength(1);
		expect(stored.refreshToken).not.toBe(consoleToken);
		expect(stored.accessToken).toMatch(/^ey/);
		expect(stored.accessTokenIssuedFor).toBe(tokenFingerprint(stored.refreshToken as string));
		expect(stored.sessionGate).toBe('');
		expect(await sandbox.control.checkToken({ refreshToken: consoleToken })).toMatchObject({ valid: false });
		expect(await sandbox.control.checkToken({ refreshToken: stored.refreshToken as string })).toMatchObject({
			valid: true,
		});
	});

	it('reuses the stored access token afterwards: no confirm, nothing written', async () => {
		const store = await freshCredential(sandbox);
		await countIncidents(store);
		await sandbox.control.resetCounters();

		await countIncidents(store);
		await countIncidents(store);

		expect(await confirmCount(sandbox)).toEqual({ ok: 0, rejected: 0 });
		expect(store.writes).toHaveLength(1);
	});
});

describe('refresh decisions', () => {
	it('refreshes proactively when the access token expires within the safety margin', async () => {
		const store = await usedCredential(sandbox, 60);
		const before = store.read();

		await countIncidents(store);

		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect((await endpointCount(sandbox, 'incidents/count')).received).toBe(1);
		expect(store.read().accessToken).not.toBe(before.accessToken);
	});

	it('does not refresh an access token that is valid for longer than the margin', async () => {
		const store = await usedCredential(sandbox, 3600);

		await countIncidents(store);

		expect(await confirmCount(sandbox)).toEqual({ ok: 0, rejected: 0 });
		expect(store.writes).toHaveLength(0);
	});

	it('refreshes when the user pasted a new refresh token over a working session', async () => {
		const store = await usedCredential(sandbox, 3600);
		const { refreshToken: pasted } = await sandbox.control.mintRefreshToken();
		registerToken(pasted);
		store.patch({ refreshToken: pasted });

		await countIncidents(store);

		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(await sandbox.control.checkToken({ refreshToken: pasted })).toMatchObject({ valid: false });
		expect(store.read().refreshToken).not.toBe(pasted);
	});

	it.each([401, 403])(
		'refreshes once and retries when MDR answers %i to an access token it no longer accepts',
		async (status) => {
			await sandbox.control.setConfig({ expiredAccessStatus: status });
			const store = await usedCredential(sandbox, 3600);
			await sandbox.control.expireAccessTokens();

			expect(await countIncidents(store)).toBe(50);

			expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
			const counted = await endpointCount(sandbox, 'incidents/count');
			expect(counted.received).toBe(2);
			expect(counted.performed).toBe(1);
			expect(store.writes).toHaveLength(1);
			expect(
				await sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
			).toMatchObject({ valid: true });
		},
	);
});
