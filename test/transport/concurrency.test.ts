/**
 * One refresh token, many callers: concurrent requests, late callers holding a token that was
 * just spent, and another n8n process rotating the token at the same moment.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { tokenFingerprint, readJwtExpiry } from '../../nodes/KasperskyMdr/transport/token';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { registerToken } from '../harness/secrets';
import { confirmCount, startTestSandbox, usedCredential, type Sandbox } from '../harness/sandbox';

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

/** Spends a refresh token over plain HTTP, as another n8n process would. */
async function confirmElsewhere(refreshToken: string): Promise<{ access_token: string; refresh_token: string }> {
	const response = await fetch(`${sandbox.apiUrl}/${sandbox.clientId}/session/confirm`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ refresh_token: refreshToken }),
	});
	expect(response.status).toBe(200);
	const answer = (await response.json()) as { access_token: string; refresh_token: string };
	registerToken(answer.access_token);
	registerToken(answer.refresh_token);
	return answer;
}

function storedFields(answer: { access_token: string; refresh_token: string }) {
	return {
		accessToken: answer.access_token,
		refreshToken: answer.refresh_token,
		accessTokenExpiresAt: String(readJwtExpiry(answer.access_token) ?? ''),
		accessTokenIssuedFor: tokenFingerprint(answer.refresh_token),
	};
}

it('serves 50 concurrent requests with an expired access token with exactly one confirm', async () => {
	const store = await usedCredential(sandbox, -60);

	const results = await Promise.allSettled(Array.from({ length: 50 }, async () => await countIncidents(store)));

	expect(results.filter((result) => result.status === 'rejected')).toHaveLength(0);
	expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
	expect(
		await sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

it.each([401, 403])(
	'serves 20 concurrent requests whose access token MDR refuses with %i with exactly one confirm',
	async (status) => {
		await sandbox.control.setConfig({ expiredAccessStatus: status });
		const store = await usedCredential(sandbox, 3600);
		await sandbox.control.expireAccessTokens();

		const results = await Promise.allSettled(Array.from({ length: 20 }, async () => await countIncidents(store)));

		expect(results.filter((result) => result.status === 'rejected')).toHaveLength(0);
		expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
	},
);

it('gives a late caller holding the just-spent refresh token the same session, without a confirm', async () => {
	const shared = await usedCredential(sandbox, -60);
	const staleCopy = new CredentialStore(shared.read());
	await countIncidents(shared);
	expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });

	expect(await countIncidents(staleCopy)).toBe(50);

	expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 0 });
	expect(staleCopy.read().refreshToken).toBe(shared.read().refreshToken);
});

it('walks a late caller to the newest session when the successor was spent in turn', async () => {
	const shared = await usedCredential(sandbox, -60);
	const oldest = new CredentialStore(shared.read());
	await countIncidents(shared);
	shared.patch({ accessToken: '' });
	await countIncidents(shared);
	expect(await confirmCount(sandbox)).toEqual({ ok: 2, rejected: 0 });

	await countIncidents(oldest);

	expect(await confirmCount(sandbox)).toEqual({ ok: 2, rejected: 0 });
	expect(oldest.read().refreshToken).toBe(shared.read().refreshToken);
	expect(
		await sandbox.control.checkToken({ refreshToken: oldest.read().refreshToken as string }),
	).toMatchObject({ valid: true });
});

it('carries on with the token another process stored when that process spent ours first', async () => {
	const store = await usedCredential(sandbox, -60);
	const rival = await confirmElsewhere(store.read().refreshToken as string);
	// The rival's database write lands while our rejected confirm is being handled.
	const rivalWrite = new Promise<void>((resolve) =>
		setTimeout(() => {
			store.patch(storedFields(rival));
			resolve();
		}, 400),
	);

	expect(await countIncidents(store)).toBe(50);
	await rivalWrite;

	expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 1 });
	expect(store.read().refreshToken).toBe(rival.refresh_token);
	expect(await sandbox.control.checkToken({ refreshToken: rival.refresh_token })).toMatchObject({ valid: true });
});
