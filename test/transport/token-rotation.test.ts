/**
 * The refresh-token chain, through n8n's engine and the real credential code: when a confirm
 * happens, that its rotation is stored, and that one refresh token is spent at most once.
 */
import { tokenFingerprint } from '../../nodes/KasperskyMdr/transport/token';
import { countIncidents } from '../harness/n8n';
import { registerToken } from '../harness/secrets';
import {
	confirmCount,
	endpointCount,
	freshCredential,
	usedCredential,
	useTestSandbox,
} from '../harness/sandbox';

const mdr = useTestSandbox();

beforeEach(async () => {
	await mdr.sandbox.control.setConfig({ expiredAccessStatus: 401 });
});

describe('first use of a console refresh token', () => {
	it('spends it once, stores the rotated refresh token and the access token, and answers', async () => {
		const store = await freshCredential(mdr.sandbox);
		const consoleToken = store.read().refreshToken as string;

		expect(await countIncidents(store)).toBe(50);

		const stored = store.read();
		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(store.writes).toHaveLength(1);
		expect(stored.refreshToken).not.toBe(consoleToken);
		expect(stored.accessToken).toMatch(/^ey/);
		expect(stored.accessTokenIssuedFor).toBe(tokenFingerprint(stored.refreshToken as string));
		expect(stored.sessionGate).toBe('');
		expect(await mdr.sandbox.control.checkToken({ refreshToken: consoleToken })).toMatchObject({
			valid: false,
		});
		expect(
			await mdr.sandbox.control.checkToken({ refreshToken: stored.refreshToken as string }),
		).toMatchObject({
			valid: true,
		});
	});

	it('reuses the stored access token afterwards: no confirm, nothing written', async () => {
		const store = await freshCredential(mdr.sandbox);
		await countIncidents(store);
		await mdr.sandbox.control.resetCounters();

		await countIncidents(store);
		await countIncidents(store);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 0, rejected: 0 });
		expect(store.writes).toHaveLength(1);
	});
});

describe('refresh decisions', () => {
	it('refreshes proactively when the access token expires within the safety margin', async () => {
		const store = await usedCredential(mdr.sandbox, 60);
		const before = store.read();

		await countIncidents(store);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect((await endpointCount(mdr.sandbox, 'incidents/count')).received).toBe(1);
		expect(store.read().accessToken).not.toBe(before.accessToken);
	});

	it('does not refresh an access token that is valid for longer than the margin', async () => {
		const store = await usedCredential(mdr.sandbox, 3600);

		await countIncidents(store);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 0, rejected: 0 });
		expect(store.writes).toHaveLength(0);
	});

	it('refreshes when the user pasted a new refresh token over a working session', async () => {
		const store = await usedCredential(mdr.sandbox, 3600);
		const { refreshToken: pasted } = await mdr.sandbox.control.mintRefreshToken();
		registerToken(pasted);
		store.patch({ refreshToken: pasted });

		await countIncidents(store);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(await mdr.sandbox.control.checkToken({ refreshToken: pasted })).toMatchObject({
			valid: false,
		});
		expect(store.read().refreshToken).not.toBe(pasted);
	});

	it.each([401, 403])(
		'refreshes once and retries when MDR answers %i to an access token it no longer accepts',
		async (status) => {
			await mdr.sandbox.control.setConfig({ expiredAccessStatus: status });
			const store = await usedCredential(mdr.sandbox, 3600);
			await mdr.sandbox.control.expireAccessTokens();

			expect(await countIncidents(store)).toBe(50);

			expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
			const counted = await endpointCount(mdr.sandbox, 'incidents/count');
			expect(counted.received).toBe(2);
			expect(counted.performed).toBe(1);
			expect(store.writes).toHaveLength(1);
			expect(
				await mdr.sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
			).toMatchObject({ valid: true });
		},
	);
});
