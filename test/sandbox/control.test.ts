import { call, controlHttp, session, start, type SandboxHandle } from './client';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await start();
});

afterAll(async () => {
	await sandbox.close();
});

describe('control API over HTTP', () => {
	test('tokens: mint, mint-pair with an expired access token, check, revoke', async () => {
		const minted = (await controlHttp(sandbox, 'POST', '/tokens/mint', { ttlSeconds: 60 })).json;
		const pair = (await controlHttp(sandbox, 'POST', '/tokens/mint-pair', { accessTtlSeconds: 0 }))
			.json;

		expect(
			(await controlHttp(sandbox, 'POST', '/tokens/check', { refreshToken: minted.refreshToken }))
				.json,
		).toEqual({ valid: true, reason: 'ok' });
		expect(
			(await controlHttp(sandbox, 'POST', '/tokens/check', { accessToken: pair.accessToken })).json,
		).toEqual({ valid: false, reason: 'expired' });
		expect(
			(await controlHttp(sandbox, 'POST', '/tokens/revoke', { refreshToken: pair.refreshToken }))
				.json,
		).toEqual({ revoked: 1 });
		expect(
			(await controlHttp(sandbox, 'POST', '/tokens/check', { refreshToken: pair.refreshToken }))
				.json.reason,
		).toBe('revoked');
	});

	test('config: partial merge answers the full config; bad values are a 400', async () => {
		const full = (await controlHttp(sandbox, 'POST', '/config', { expiredAccessStatus: 403 })).json;
		expect(full).toMatchObject({
			expiredAccessStatus: 403,
			errorFormat: 'json',
			maxPageSize: 1000,
		});
		expect((await controlHttp(sandbox, 'GET', '/config')).json.expiredAccessStatus).toBe(403);
		expect(
			(await controlHttp(sandbox, 'POST', '/config', { expiredAccessStatus: 402 })).status,
		).toBe(400);
		expect((await controlHttp(sandbox, 'POST', '/config', { noSuchSwitch: true })).status).toBe(
			400,
		);
		await controlHttp(sandbox, 'POST', '/config', { expiredAccessStatus: 401 });
	});

	test('requests: the newest entries for a path, with status and outcome', async () => {
		const { access_token } = await session(sandbox);
		await call(sandbox, 'incidents/list', { page_size: 1 }, { token: access_token });
		await call(sandbox, 'incidents/list', { page_size: 2 }, { token: access_token });
		const entries = (await controlHttp(sandbox, 'GET', '/requests?path=incidents/list&limit=1'))
			.json;

		expect(entries).toEqual([
			expect.objectContaining({
				path: 'incidents/list',
				body: { page_size: 2 },
				status: 200,
				outcome: 'ok',
			}),
		]);
	});

	test('clock: a frozen time is what new data carries', async () => {
		await controlHttp(sandbox, 'POST', '/clock', { nowMs: 1_800_000_000_000, frozen: true });
		const created = (
			await controlHttp(sandbox, 'POST', '/incidents', { summary: 'At a fixed time' })
		).json;
		await controlHttp(sandbox, 'POST', '/clock', { real: true });
		expect([created.creation_time, created.update_time]).toEqual([
			1_800_000_000_000, 1_800_000_000_000,
		]);
	});

	test('incidents: every incident, projected, with no window', async () => {
		const all = (await controlHttp(sandbox, 'GET', '/incidents?fields=incident_id,update_time'))
			.json;
		expect(all.length).toBeGreaterThanOrEqual(60);
		expect(Object.keys(all[0])).toEqual(['incident_id', 'update_time']);
		expect((await controlHttp(sandbox, 'GET', '/assets')).json).toHaveLength(12);
	});

	test('responses can be changed through PATCH', async () => {
		const [incident] = (await controlHttp(sandbox, 'GET', '/incidents')).json;
		const response = (
			await controlHttp(sandbox, 'POST', `/incidents/${incident.incident_id}/responses`, {})
		).json;
		const changed = (
			await controlHttp(sandbox, 'PATCH', `/responses/${response.response_id}`, {
				status: 'Declined',
				update_time: 1_750_000_000_000,
			})
		).json;
		expect(changed).toMatchObject({ status: 'Declined', update_time: 1_750_000_000_000 });
	});

	test('reset regenerates data, clears counters, requests and faults, keeps tokens', async () => {
		const { access_token } = await session(sandbox);
		await controlHttp(sandbox, 'POST', '/faults', { script: [{ kind: '503' }] });
		const summary = (
			await controlHttp(sandbox, 'POST', '/reset', {
				seed: 9,
				incidents: 25,
				assets: 5,
				tenants: ['Only tenant'],
			})
		).json;

		expect(summary).toMatchObject({ seed: 9, incidents: 25, assets: 5, tenants: ['Only tenant'] });
		expect((await controlHttp(sandbox, 'GET', '/faults')).json).toEqual({ script: [], rate: null });
		expect((await controlHttp(sandbox, 'GET', '/counters')).json.totals.received).toBe(0);
		expect((await call(sandbox, 'incidents/count', {}, { token: access_token })).json).toEqual({
			count: 25,
		});

		await controlHttp(sandbox, 'POST', '/reset', { tokens: true });
		expect((await call(sandbox, 'incidents/count', {}, { token: access_token })).status).toBe(401);
	});

	test('unknown control paths are 404 and wrong methods 405', async () => {
		expect((await controlHttp(sandbox, 'GET', '/nope')).status).toBe(404);
		expect((await controlHttp(sandbox, 'DELETE', '/config')).status).toBe(405);
	});
});
