/**
 * One refresh token, many callers: concurrent requests, late callers holding a token that was
 * just spent, and another n8n process rotating the token at the same moment.
 */
import { CredentialStore, countIncidents } from '../harness/n8n';
import {
	confirmCount,
	spendElsewhere,
	storedSession,
	usedCredential,
	useTestSandbox,
} from '../harness/sandbox';

const mdr = useTestSandbox();

beforeEach(async () => {
	await mdr.sandbox.control.setConfig({ expiredAccessStatus: 401 });
});

it('serves 50 concurrent requests with an expired access token with exactly one confirm', async () => {
	const store = await usedCredential(mdr.sandbox, -60);

	const results = await Promise.allSettled(
		Array.from({ length: 50 }, async () => await countIncidents(store)),
	);

	expect(results.filter((result) => result.status === 'rejected')).toHaveLength(0);
	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
	expect(
		await mdr.sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

it.each([401, 403])(
	'serves 20 concurrent requests whose access token MDR refuses with %i with exactly one confirm',
	async (status) => {
		await mdr.sandbox.control.setConfig({ expiredAccessStatus: status });
		const store = await usedCredential(mdr.sandbox, 3600);
		await mdr.sandbox.control.expireAccessTokens();

		const results = await Promise.allSettled(
			Array.from({ length: 20 }, async () => await countIncidents(store)),
		);

		expect(results.filter((result) => result.status === 'rejected')).toHaveLength(0);
		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
	},
);

it('gives a late caller holding the just-spent refresh token the same session, without a confirm', async () => {
	const shared = await usedCredential(mdr.sandbox, -60);
	const staleCopy = new CredentialStore(shared.read());
	await countIncidents(shared);
	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });

	expect(await countIncidents(staleCopy)).toBe(50);

	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
	expect(staleCopy.read().refreshToken).toBe(shared.read().refreshToken);
});

it('walks a late caller to the newest session when the successor was spent in turn', async () => {
	const shared = await usedCredential(mdr.sandbox, -60);
	const oldest = new CredentialStore(shared.read());
	await countIncidents(shared);
	shared.patch({ accessToken: '' });
	await countIncidents(shared);
	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 2, rejected: 0 });

	await countIncidents(oldest);

	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 2, rejected: 0 });
	expect(oldest.read().refreshToken).toBe(shared.read().refreshToken);
	expect(
		await mdr.sandbox.control.checkToken({ refreshToken: oldest.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

it('carries on with the token another process stored when that process spent ours first', async () => {
	const store = await usedCredential(mdr.sandbox, -60);
	const rival = await spendElsewhere(mdr.sandbox, store.read().refreshToken as string);
	// The rival's database write lands while our rejected confirm is being handled.
	const rivalWrite = new Promise<void>((resolve) =>
		setTimeout(() => {
			store.patch(storedSession(rival));
			resolve();
		}, 400),
	);

	expect(await countIncidents(store)).toBe(50);
	await rivalWrite;

	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 1 });
	expect(store.read().refreshToken).toBe(rival.refresh_token);
	expect(await mdr.sandbox.control.checkToken({ refreshToken: rival.refresh_token })).toMatchObject(
		{ valid: true },
	);
});
