import { call, session, start, type SandboxHandle, type Json } from './client';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await start();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.setConfig({
		expiredAccessStatus: 401,
		confirmRejectStatus: 401,
		errorFormat: 'json',
	});
	await sandbox.control.clearFaults();
	await sandbox.control.setClock({ real: true });
});

const expOf = (token: string) =>
	JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;

describe('session/confirm', () => {
	test('a console refresh token confirms once into an access token and the next refresh token', async () => {
		const { refreshToken } = await sandbox.control.mintRefreshToken();
		const first = await call(sandbox, 'session/confirm', { refresh_token: refreshToken });

		expect(first.status).toBe(200);
		expect(Object.keys(first.json).sort()).toEqual(['access_token', 'refresh_token']);
		const now = Date.now() / 1000;
		expect(expOf(first.json.access_token) - now).toBeGreaterThan(3590);
		expect(expOf(first.json.access_token) - now).toBeLessThanOrEqual(3600);
		expect(expOf(first.json.refresh_token) - now).toBeGreaterThan(7 * 86400 - 10);
		expect(await sandbox.control.checkToken({ refreshToken })).toEqual({
			valid: false,
			reason: 'spent',
		});
		expect(await sandbox.control.checkToken({ refreshToken: first.json.refresh_token })).toEqual({
			valid: true,
			reason: 'ok',
		});
	});

	test('each confirm rotates the chain: only the newest refresh token works', async () => {
		const first = await session(sandbox);
		const second = await call(sandbox, 'session/confirm', { refresh_token: first.refresh_token });
		const third = await call(sandbox, 'session/confirm', {
			refresh_token: second.json.refresh_token,
		});

		expect([second.status, third.status]).toEqual([200, 200]);
		expect(second.json.refresh_token).not.toBe(first.refresh_token);
		const again = await call(sandbox, 'session/confirm', {
			refresh_token: second.json.refresh_token,
		});
		expect(again.status).toBe(401);
		expect(again.json).toEqual({
			error: 'invalid_refresh_token',
			message: 'The refresh token has already been used',
		});
	});

	test('a spent token is rejected with the configured status and counted', async () => {
		await sandbox.control.setConfig({ confirmRejectStatus: 400 });
		const { refreshToken } = await sandbox.control.mintRefreshToken();
		const before = (await sandbox.control.getCounters()).confirm;

		await call(sandbox, 'session/confirm', { refresh_token: refreshToken });
		const reused = await call(sandbox, 'session/confirm', { refresh_token: refreshToken });

		expect(reused.status).toBe(400);
		expect((await sandbox.control.getCounters()).confirm).toEqual({
			ok: before.ok + 1,
			rejected: before.rejected + 1,
		});
	});

	test.each([
		['garbage', 'not-a-token', 'The refresh token is malformed'],
		['an empty string', '', "Field 'refresh_token' is required"],
	])('%s is rejected', async (_name, token, message) => {
		const answer = await call(sandbox, 'session/confirm', { refresh_token: token });
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.json.message).toBe(message);
	});

	test('an expired, revoked or access token is rejected and says why', async () => {
		const expired = (await sandbox.control.mintRefreshToken({ ttlSeconds: -1 })).refreshToken;
		const revoked = (await sandbox.control.mintRefreshToken()).refreshToken;
		await sandbox.control.revokeTokens({ refreshToken: revoked });
		const pair = await sandbox.control.mintTokenPair();

		const answers = await Promise.all(
			[expired, revoked, pair.accessToken].map((t) =>
				call(sandbox, 'session/confirm', { refresh_token: t }),
			),
		);
		expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
		expect(answers.map((a) => a.json.message)).toEqual([
			'The refresh token has expired',
			'The refresh token has been revoked',
			'The token is not a refresh token',
		]);
	});

	test('concurrent confirms of one token: exactly one succeeds', async () => {
		const { refreshToken } = await sandbox.control.mintRefreshToken();
		const answers = await Promise.all(
			Array.from({ length: 5 }, () =>
				call(sandbox, 'session/confirm', { refresh_token: refreshToken }),
			),
		);
		expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
	});

	test('drop-after on confirm spends the token but gives no answer', async () => {
		const { refreshToken } = await sandbox.control.mintRefreshToken();
		await sandbox.control.setFaults({ script: [{ path: 'session/confirm', kind: 'drop-after' }] });
		const before = (await sandbox.control.getCounters()).confirm.ok;

		await expect(
			call(sandbox, 'session/confirm', { refresh_token: refreshToken }),
		).rejects.toThrow();

		expect(await sandbox.control.checkToken({ refreshToken })).toEqual({
			valid: false,
			reason: 'spent',
		});
		expect((await sandbox.control.getCounters()).confirm.ok).toBe(before + 1);
	});

	test('every token carries a distinct jti', async () => {
		const tokens = await Promise.all(
			Array.from({ length: 5 }, () => sandbox.control.mintTokenPair()),
		);
		const jtis = tokens
			.flatMap((p) => [p.accessToken, p.refreshToken])
			.map((t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()).jti);
		expect(new Set(jtis).size).toBe(10);
	});
});

describe('access tokens', () => {
	test('a valid access token reads; none or garbage is 401', async () => {
		const { access_token } = await session(sandbox);
		expect((await call(sandbox, 'incidents/count', {}, { token: access_token })).status).toBe(200);
		expect((await call(sandbox, 'incidents/count', {})).status).toBe(401);
		expect((await call(sandbox, 'incidents/count', {}, { token: 'abc.def.ghi' })).status).toBe(401);
	});

	test('an expired access token is answered 401 by default and 403 when switched', async () => {
		const { accessToken } = await sandbox.control.mintTokenPair({ accessTtlSeconds: -60 });
		expect((await call(sandbox, 'incidents/count', {}, { token: accessToken })).status).toBe(401);

		await sandbox.control.setConfig({ expiredAccessStatus: 403 });
		const answer = await call(sandbox, 'incidents/count', {}, { token: accessToken });
		expect(answer.status).toBe(403);
		expect(answer.json.error).toBe('token_expired');
	});

	test('the sandbox clock expires tokens by exp', async () => {
		const { access_token } = await session(sandbox);
		await sandbox.control.setClock({ offsetMs: 3601_000 });
		expect((await call(sandbox, 'incidents/count', {}, { token: access_token })).status).toBe(401);
	});

	test('expire-access ends current access tokens early; later ones still work', async () => {
		await sandbox.control.setConfig({ expiredAccessStatus: 403 });
		const old = await session(sandbox);
		await sandbox.control.expireAccessTokens();
		const fresh = await session(sandbox);

		expect((await call(sandbox, 'incidents/count', {}, { token: old.access_token })).status).toBe(
			403,
		);
		expect((await call(sandbox, 'incidents/count', {}, { token: fresh.access_token })).status).toBe(
			200,
		);
	});

	test('an older access token stays valid after a newer one is issued, until revoked', async () => {
		const first = await session(sandbox);
		await call(sandbox, 'session/confirm', { refresh_token: first.refresh_token });
		expect((await call(sandbox, 'incidents/count', {}, { token: first.access_token })).status).toBe(
			200,
		);

		await sandbox.control.revokeTokens({ accessToken: first.access_token });
		expect((await call(sandbox, 'incidents/count', {}, { token: first.access_token })).status).toBe(
			401,
		);
		expect(await sandbox.control.checkToken({ accessToken: first.access_token })).toEqual({
			valid: false,
			reason: 'revoked',
		});
	});

	test('an unknown client id is 404', async () => {
		const { access_token } = await session(sandbox);
		const answer = await call(
			sandbox,
			'incidents/count',
			{},
			{ token: access_token, clientId: 'someone-else' },
		);
		expect(answer.status).toBe(404);
	});

	test('the request log shows which token was used, never the token', async () => {
		const { access_token } = await session(sandbox);
		await call(sandbox, 'incidents/count', { priorities: ['HIGH'] }, { token: access_token });
		const [entry] = await sandbox.control.getRequests({ path: 'incidents/count', limit: 1 });
		const jti = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()).jti;

		expect(entry.headers.authorization).toEqual({ scheme: 'Bearer', jti, typ: 'access' });
		expect(entry.body).toEqual({ priorities: ['HIGH'] });
		const confirms = await sandbox.control.getRequests({ path: 'session/confirm', limit: 50 });
		expect(JSON.stringify(confirms)).not.toContain(access_token.split('.')[2]);
		expect(confirms.every((e: Json) => typeof e.body.refresh_token !== 'string')).toBe(true);
	});
});
