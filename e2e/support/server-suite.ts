/**
 * The package inside a running n8n (`n8n start`): the credential's Test through n8n's REST API as
 * the editor calls it, and an active workflow whose Kaspersky MDR Trigger polls the sandbox.
 * One suite per n8n line; see e2e/server.n8n1.test.ts and e2e/server.n8n2.test.ts.
 */
import * as path from 'path';

import {
	Sandbox,
	freshN8n,
	lineSelected,
	lineTitle,
	mdrCredential,
	n8nId,
	timed,
	type LineId,
} from './fixtures';
import * as rt from './runtime';

const OWNER = { email: 'e2e@example.com', password: 'E2e-Passw0rd!' };
const DELIVERED = 'Delivered by the Kaspersky MDR Trigger (e2e)';

/** Trigger → Comment: every incident the trigger delivers gets one comment, counted in MDR. */
function triggerWorkflow(id: string, credentialId: string): object {
	const credentials = { [rt.CREDENTIAL_TYPE]: { id: credentialId, name: 'MDR trigger' } };
	return {
		id,
		name: 'E2E trigger: comment on new incidents',
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				id: '0b6f3c7e-2f4a-4d7b-9a43-6f1f0a9f1001',
				name: 'New Incident',
				type: rt.TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					// n8n's minimum: its UI offers nothing faster, and 2.x refuses sub-minute crons.
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					events: ['newIncident'],
				},
				credentials,
			},
			{
				id: '0b6f3c7e-2f4a-4d7b-9a43-6f1f0a9f1002',
				name: 'Comment',
				type: rt.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'comment',
					operation: 'create',
					incidentId: { __rl: true, mode: 'id', value: '={{ $json.incidentId }}' },
					text: DELIVERED,
				},
				credentials,
			},
		],
		connections: { 'New Incident': { main: [[{ node: 'Comment', type: 'main', index: 0 }]] } },
	};
}

export function serverSuite(line: LineId): void {
	const run = lineSelected(line) ? describe : describe.skip;

	run(`the package in ${lineTitle(line)}, with n8n start`, () => {
		let sandbox: Sandbox;
		let n8n: rt.N8n;
		let rest: rt.N8nRest;
		const testCredential = { id: n8nId(), refreshToken: '' };
		const triggerCredentialId = n8nId();
		const triggerWorkflowId = n8nId();
		let seeded: string[] = [];

		async function deliveries(incidentId: string): Promise<number> {
			const incident = await sandbox.control('GET', `/incidents/${incidentId}`);
			return incident.comments.filter((c: { text: string }) => c.text === DELIVERED).length;
		}

		async function newIncident(summary: string): Promise<string> {
			const created = await sandbox.control('POST', '/incidents', { summary, priority: 'NORMAL', status: 'Open' });
			return created.incident_id as string;
		}

		beforeAll(async () => {
			await timed(`${lineTitle(line)}: server suite setup (import, activate, n8n start, login)`, async () => {
				n8n = freshN8n(line, 'server');
				sandbox = await Sandbox.start(path.join(n8n.logDir, 'sandbox.log'));
				await sandbox.reset({ incidents: 5, seed: 23 });
				seeded = (await sandbox.control('GET', '/incidents?fields=incident_id')).map(
					(i: { incident_id: string }) => i.incident_id,
				);

				testCredential.refreshToken = await sandbox.mintRefreshToken();
				const triggerToken = await sandbox.mintRefreshToken();
				await n8n.importCredentials([
					mdrCredential(testCredential.id, sandbox, testCredential.refreshToken, 'MDR credential test'),
					mdrCredential(triggerCredentialId, sandbox, triggerToken, 'MDR trigger'),
				]);
				await n8n.importWorkflows([triggerWorkflow(triggerWorkflowId, triggerCredentialId)]);
				await n8n.activateWorkflow(triggerWorkflowId);

				const baseUrl = await n8n.start();
				rest = new rt.N8nRest(baseUrl);
				await rest.setupOwner(OWNER);
				await rest.login(OWNER);
			});
		});

		afterAll(async () => {
			await n8n?.stop();
			await sandbox?.stop();
		});

		test("the credential's Test passes in n8n's REST API and stores the rotated token", async () => {
			await sandbox.resetCounters();
			// As the editor does: load the credential (secrets redacted) and post it back for a test.
			const loaded = await rest.request('GET', `/credentials/${testCredential.id}?includeData=true`);
			expect(loaded.type).toBe(rt.CREDENTIAL_TYPE);
			expect(JSON.stringify(loaded.data)).not.toContain(testCredential.refreshToken);

			const result = await timed(`${lineTitle(line)}: POST /rest/credentials/test`, () =>
				rest.request('POST', '/credentials/test', {
					credentials: { id: loaded.id, name: loaded.name, type: loaded.type, data: loaded.data },
				}),
			);
			expect(result).toMatchObject({ status: 'OK' });

			const counters = await sandbox.counters();
			expect(counters.confirm).toEqual({ ok: 1, rejected: 0 });
			expect(counters.endpoints['incidents/count']?.performed).toBe(1);

			const stored = (await n8n.exportCredential(testCredential.id)).data;
			expect(stored.refreshToken).not.toBe(testCredential.refreshToken);
			expect(await sandbox.isValidRefreshToken(stored.refreshToken)).toBe(true);
			expect(await sandbox.isValidRefreshToken(testCredential.refreshToken)).toBe(false);

			// The editor keeps the form it loaded: testing again sends stale hidden bookkeeping
			// fields, so the credential refreshes once more; the new rotation is stored again.
			const stale = await rest.request('POST', '/credentials/test', {
				credentials: { id: loaded.id, name: loaded.name, type: loaded.type, data: loaded.data },
			});
			expect(stale).toMatchObject({ status: 'OK' });
			const afterStale = (await n8n.exportCredential(testCredential.id)).data;
			expect(await sandbox.isValidRefreshToken(afterStale.refreshToken)).toBe(true);

			// Opened afresh, the credential tests with the stored access token: nothing is spent.
			const confirmsBefore = (await sandbox.counters()).confirm.ok;
			const reopened = await rest.request('GET', `/credentials/${testCredential.id}?includeData=true`);
			const fresh = await rest.request('POST', '/credentials/test', {
				credentials: { id: reopened.id, name: reopened.name, type: reopened.type, data: reopened.data },
			});
			expect(fresh).toMatchObject({ status: 'OK' });
			expect((await sandbox.counters()).confirm.ok).toBe(confirmsBefore);
			const afterFresh = (await n8n.exportCredential(testCredential.id)).data;
			expect(afterFresh.refreshToken).toBe(afterStale.refreshToken);
		});

		test('an active workflow with the trigger delivers each new incident exactly once across several polls', async () => {
			// The activation poll records where MDR stands; incidents from before are not events.
			await rt.waitFor(async () => (await sandbox.requests('incidents/list', { limit: 1 })).length > 0, {
				timeoutMs: 120_000,
				describe: () => `the trigger never polled; n8n log:\n${rt.tail(n8n.serverLog())}`,
			});

			const first = [await newIncident('E2E trigger: first'), await newIncident('E2E trigger: second')];
			await timed(`${lineTitle(line)}: trigger delivers two incidents (next poll)`, () =>
				rt.waitFor(async () => (await Promise.all(first.map(deliveries))).every((n) => n >= 1), {
					timeoutMs: 150_000,
					intervalMs: 2_000,
					describe: () => `not delivered; n8n log:\n${rt.tail(n8n.serverLog())}`,
				}),
			);

			const third = await newIncident('E2E trigger: third');
			await timed(`${lineTitle(line)}: trigger delivers the third incident (one more poll)`, () =>
				rt.waitFor(async () => (await deliveries(third)) >= 1, {
					timeoutMs: 150_000,
					intervalMs: 2_000,
					describe: () => `not delivered; n8n log:\n${rt.tail(n8n.serverLog())}`,
				}),
			);
			// Let the comments of that poll's executions land before counting.
			await rt.sleep(3_000);

			for (const id of [...first, third]) expect(await deliveries(id)).toBe(1);
			for (const id of seeded) expect(await deliveries(id)).toBe(0);
			expect(rt.redact(n8n.serverLog())).not.toMatch(/polling interval is too short|Problem with execution/i);
		});
	});
}
