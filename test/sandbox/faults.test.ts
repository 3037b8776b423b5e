import { call, controlHttp, session, start, type SandboxHandle, type Json } from './client';

let sandbox: SandboxHandle;
let token: string;
let incidentId: string;

beforeAll(async () => {
	sandbox = await start();
	token = (await session(sandbox)).access_token;
	incidentId = (await sandbox.control.listIncidents({ fields: ['incident_id'] }))[0].incident_id;
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.clearFaults();
	await sandbox.control.resetCounters();
	await sandbox.control.setConfig({ errorFormat: 'json', brokenJsonPaths: [] });
});

const count = () => call(sandbox, 'incidents/count', {}, { token });
const counters = async (path: string) => (await sandbox.control.getCounters()).endpoints[path];

describe('faults by script', () => {
	test.each(['429', '500', '502', '503', '504'])(
		'%s answers that status, then the next request is served',
		async (kind) => {
			await sandbox.control.setFaults({ script: [{ path: 'incidents/count', kind }] });
			const faulted = await count();
			expect(faulted.status).toBe(Number(kind));
			expect(faulted.headers['retry-after']).toBeUndefined();
			expect((await count()).status).toBe(200);
		},
	);

	test('429-retry-after carries Retry-After in seconds', async () => {
		await sandbox.control.setFaults({
			script: [{ kind: '429-retry-after', retryAfter: 7 }, { kind: '429-retry-after' }],
		});
		expect((await count()).headers['retry-after']).toBe('7');
		expect((await count()).headers['retry-after']).toBe('1');
	});

	test('429-retry-date carries Retry-After as an HTTP date in the future', async () => {
		await sandbox.control.setFaults({ script: [{ kind: '429-retry-date', retryAfter: 3 }] });
		const answer = await count();
		const when = Date.parse(answer.headers['retry-after'] as string);
		expect(answer.status).toBe(429);
		expect(when - Date.parse(answer.headers.date as string)).toBeGreaterThanOrEqual(3000);
		expect(when - Date.now()).toBeLessThanOrEqual(4000);
	});

	test('reset destroys the connection without an answer', async () => {
		await sandbox.control.setFaults({ script: [{ kind: 'reset' }] });
		await expect(count()).rejects.toThrow();
		expect(await counters('incidents/count')).toEqual({
			received: 1,
			faulted: 1,
			performed: 0,
			rejected: 0,
		});
	});

	test('delay answers normally after delayMs', async () => {
		await sandbox.control.setFaults({ script: [{ kind: 'delay', delayMs: 300 }] });
		const started = Date.now();
		const answer = await count();
		expect(answer.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	test('drop-after performs the write, then closes without answering', async () => {
		await sandbox.control.setFaults({ script: [{ path: 'comments/create', kind: 'drop-after' }] });
		await expect(
			call(sandbox, 'comments/create', { incident_id: incidentId, text: 'once' }, { token }),
		).rejects.toThrow();

		const comments = (await sandbox.control.getIncident(incidentId)).comments.filter(
			(c: Json) => c.text === 'once',
		);
		expect(comments).toHaveLength(1);
		expect(await counters('comments/create')).toEqual({
			received: 1,
			faulted: 1,
			performed: 1,
			rejected: 0,
		});
	});

	test('entries apply to their path only, in order, and `times` repeats one', async () => {
		await sandbox.control.setFaults({
			script: [
				{ path: 'incidents/list', kind: '503', times: 2 },
				{ path: 'incidents/count', kind: '502' },
			],
		});
		expect((await count()).status).toBe(502);
		const lists = [];
		for (let i = 0; i < 3; i++)
			lists.push((await call(sandbox, 'incidents/list', {}, { token })).status);
		expect(lists).toEqual([503, 503, 200]);
		expect((await sandbox.control.getFaults()).script).toEqual([]);
	});

	test('counters separate received, faulted, performed and rejected', async () => {
		await sandbox.control.setFaults({
			script: [
				{ path: 'comments/create', kind: '503' },
				{ path: 'comments/create', kind: '429' },
			],
		});
		for (let i = 0; i < 3; i++)
			await call(
				sandbox,
				'comments/create',
				{ incident_id: incidentId, text: `try ${i}` },
				{ token },
			);
		await call(sandbox, 'comments/create', { incident_id: 'missing', text: 'x' }, { token });

		expect(await counters('comments/create')).toEqual({
			received: 4,
			faulted: 2,
			performed: 1,
			rejected: 1,
		});
		const http = (await controlHttp(sandbox, 'GET', '/counters')).json;
		expect(http.endpoints['comments/create']).toEqual({
			received: 4,
			faulted: 2,
			performed: 1,
			rejected: 1,
		});
	});
});

describe('faults by rate', () => {
	const pattern = async () => {
		const statuses = [];
		for (let i = 0; i < 30; i++) statuses.push((await count()).status);
		return statuses;
	};

	test('a seeded rate is deterministic and stays in its scope', async () => {
		await sandbox.control.setFaults({ rate: 0.3, kinds: ['503', '500'], scope: 'reads', seed: 42 });
		const first = await pattern();
		const write = await call(
			sandbox,
			'comments/create',
			{ incident_id: incidentId, text: 'in scope?' },
			{ token },
		);
		await sandbox.control.setFaults({ rate: 0.3, kinds: ['503', '500'], scope: 'reads', seed: 42 });
		const second = await pattern();

		expect(second).toEqual(first);
		expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
		expect(new Set(first)).toEqual(new Set([200, 500, 503]));
		expect(write.status).toBe(200);
	});

	test('script entries take precedence over the rate', async () => {
		await sandbox.control.setFaults({ rate: 1, kinds: ['500'], scope: 'all' });
		await sandbox.control.setFaults({ script: [{ kind: '504' }] });
		expect([(await count()).status, (await count()).status]).toEqual([504, 500]);
	});

	test('a bad fault spec is a 400 from the control API', async () => {
		expect(
			(await controlHttp(sandbox, 'POST', '/faults', { script: [{ kind: '418' }] })).status,
		).toBe(400);
		expect(
			(await controlHttp(sandbox, 'POST', '/faults', { rate: 2, kinds: ['500'] })).status,
		).toBe(400);
	});
});

describe('error bodies', () => {
	const missing = () => call(sandbox, 'incidents/details', { incident_id: 'missing' }, { token });

	test.each([
		[
			'json',
			'application/json; charset=utf-8',
			(a: Json) =>
				expect(a.json).toEqual({ error: 'not_found', message: 'Incident missing not found' }),
		],
		[
			'json-detail',
			'application/json; charset=utf-8',
			(a: Json) => expect(a.json).toEqual({ detail: 'Incident missing not found' }),
		],
		[
			'text',
			'text/plain; charset=utf-8',
			(a: Json) => expect(a.text).toBe('Incident missing not found'),
		],
		['html', 'text/html', (a: Json) => expect(a.text).toContain('<title>404 Not Found</title>')],
		['empty', undefined, (a: Json) => expect(a.bytes.length).toBe(0)],
	])('errorFormat "%s"', async (errorFormat, contentType, check) => {
		await sandbox.control.setConfig({ errorFormat });
		const answer = await missing();
		expect(answer.status).toBe(404);
		expect(answer.headers['content-type']).toBe(contentType);
		check(answer);
	});

	test('the error format also applies to rejected confirms and injected faults', async () => {
		await sandbox.control.setConfig({ errorFormat: 'html' });
		const confirm = await call(sandbox, 'session/confirm', { refresh_token: 'x.y.z' });
		await sandbox.control.setFaults({ script: [{ kind: '502' }] });
		const fault = await count();
		expect(confirm.text).toContain('401 Unauthorized');
		expect(fault.text).toContain('502 Bad Gateway');
	});

	test('brokenJsonPaths answers 200 with an HTML page for those paths only', async () => {
		await sandbox.control.setConfig({ brokenJsonPaths: ['incidents/list'] });
		const broken = await call(sandbox, 'incidents/list', {}, { token });
		expect(broken.status).toBe(200);
		expect(broken.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(() => JSON.parse(broken.text)).toThrow();
		expect((await count()).json).toEqual({ count: expect.any(Number) });
	});

	test('unknownFieldsBehavior "error" rejects fields the endpoint does not know', async () => {
		await sandbox.control.setConfig({ unknownFieldsBehavior: 'error' });
		const answer = await call(sandbox, 'incidents/count', { priority: ['HIGH'] }, { token });
		await sandbox.control.setConfig({ unknownFieldsBehavior: 'ignore' });
		expect(answer.status).toBe(400);
		expect(answer.json.message).toBe('Unknown field(s): priority');
	});

	test('a body that is not JSON is a 400', async () => {
		const answer = await call(sandbox, 'incidents/count', null, { token, raw: '{not json' });
		expect(answer.status).toBe(400);
	});
});
