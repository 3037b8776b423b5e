/**
 * The package in n8n queue mode: Redis, one main and three workers, the package installed as a
 * community package, against the MDR sandbox (through a proxy that sees which process refreshes).
 * One suite per n8n line; see scale/queue.n8n1.test.ts and scale/queue.n8n2.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
	Sandbox,
	freshN8n,
	lineSelected,
	lineTitle,
	n8nId,
	runState,
	type LineId,
	type LoggedRequest,
} from '../../e2e/support/fixtures';
import * as rt from '../../e2e/support/runtime';
import { Postgres } from '../../e2e/support/postgres';
import { QueueCluster, Redis } from './cluster';
import { MdrProxy } from './proxy';
import { DELIVERED, FIVE_CALLS, ONE_CALL, jtiOf, mdrCredential, triggerWorkflow, webhookWorkflow } from './workflows';

const OWNER = { email: 'scale@example.com', password: 'Scale-Passw0rd!' };
const WORKERS = 3;
const EXECUTIONS = 30;

export const REJECTED_MESSAGE = 'MDR rejected the refresh token';
export const LOST_MESSAGE = 'MDR used up the refresh token, but its answer was lost';

interface WebhookAnswer {
	status: number;
	body: any;
	ms: number;
}

/** Numbers every scenario prints, and writes to the run's logs for docs/scale.md. */
function report(line: LineId, scenario: string, numbers: Record<string, unknown>): void {
	const text = `[scale] ${lineTitle(line)} | ${scenario} | ${rt.redact(JSON.stringify(numbers))}\n`;
	process.stdout.write(text);
	const { runDir } = runState();
	fs.mkdirSync(path.join(runDir, 'logs'), { recursive: true });
	fs.appendFileSync(path.join(runDir, 'logs', 'scale-report.log'), text);
}

export function queueSuite(line: LineId): void {
	const run = lineSelected(line) ? describe : describe.skip;

	run(`the package in ${lineTitle(line)}, queue mode with ${WORKERS} workers`, () => {
		let n8n: rt.N8n;
		let postgres: Postgres;
		let redis: Redis;
		let sandbox: Sandbox; // MDR for the action workflows
		let triggerSandbox: Sandbox; // MDR for the trigger workflow, so its refreshes never mix in
		let proxy: MdrProxy;
		let cluster: QueueCluster;
		let rest: rt.N8nRest;
		const loadCredentialId = n8nId();
		const killCredentialId = n8nId();
		const triggerCredentialId = n8nId();
		const loadWorkflowId = n8nId();
		const killWorkflowId = n8nId();
		const triggerWorkflowId = n8nId();
		let seeded: string[] = [];
		const created: string[] = [];

		const connection = () => ({ clientId: sandbox.clientId, apiUrl: proxy.apiUrl });

		async function callWebhook(webhookPath: string, body: object, timeoutMs = 90_000): Promise<WebhookAnswer> {
			const startedAt = Date.now();
			try {
				const res = await fetch(`${cluster.baseUrl}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await res.text();
				let json: any = text;
				try {
					json = JSON.parse(text);
				} catch {
					// keep the text
				}
				return { status: res.status, body: json, ms: Date.now() - startedAt };
			} catch (error) {
				return { status: 0, body: String((error as Error).message), ms: Date.now() - startedAt };
			}
		}

		async function newIncident(summary: string): Promise<string> {
			const incident = await triggerSandbox.control('POST', '/incidents', { summary, priority: 'NORMAL', status: 'Open' });
			created.push(incident.incident_id);
			return incident.incident_id as string;
		}

		async function deliveries(incidentId: string): Promise<string[]> {
			const incident = await triggerSandbox.control('GET', `/incidents/${incidentId}`);
			return incident.comments
				.map((c: { text: string }) => c.text)
				.filter((text: string) => text.startsWith(DELIVERED));
		}

		async function storedLoadCredential(): Promise<any> {
			return (await n8n.exportCredential(loadCredentialId)).data;
		}

		/** The executions n8n recorded for a workflow (newest first), with their data. */
		async function executions(workflowId: string): Promise<any[]> {
			const list = await rest.request('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
			return list.results ?? list;
		}

		async function executionText(id: string): Promise<string> {
			return JSON.stringify(await rest.request('GET', `/executions/${id}`));
		}

		beforeAll(async () => {
			const setupStartedAt = Date.now();
			const logDir = path.join(runState().runDir, 'logs', `queue-n8n${line}-${process.pid}`);
			postgres = await Postgres.start(logDir);
			n8n = freshN8n(line, 'queue', postgres.env);
			await n8n.migrate();
			const migratedMs = Date.now() - setupStartedAt;
			redis = await Redis.start(path.join(n8n.logDir, 'redis'));
			sandbox = await Sandbox.start(path.join(n8n.logDir, 'sandbox.log'));
			await sandbox.reset({ incidents: 5, seed: 31 });
			triggerSandbox = await Sandbox.start(path.join(n8n.logDir, 'sandbox-trigger.log'));
			await triggerSandbox.reset({ incidents: 5, seed: 37 });
			seeded = (await triggerSandbox.control('GET', '/incidents?fields=incident_id')).map(
				(i: { incident_id: string }) => i.incident_id,
			);
			proxy = new MdrProxy(sandbox.apiUrl);
			await proxy.start();

			const loadPair = await sandbox.control('POST', '/tokens/mint-pair', { accessTtlSeconds: -60 });
			await n8n.importCredentials([
				mdrCredential(loadCredentialId, 'MDR load', connection(), loadPair),
				mdrCredential(killCredentialId, 'MDR kill', connection(), { refreshToken: await sandbox.mintRefreshToken() }),
				mdrCredential(
					triggerCredentialId,
					'MDR trigger',
					{ clientId: triggerSandbox.clientId, apiUrl: triggerSandbox.apiUrl },
					{ refreshToken: await triggerSandbox.mintRefreshToken() },
				),
			]);
			await n8n.importWorkflows([
				webhookWorkflow(loadWorkflowId, 'MDR load', 'scale-load', loadCredentialId, FIVE_CALLS),
				webhookWorkflow(killWorkflowId, 'MDR kill', 'scale-kill', killCredentialId, ONE_CALL),
				triggerWorkflow(triggerWorkflowId, triggerCredentialId),
			]);
			for (const id of [loadWorkflowId, killWorkflowId, triggerWorkflowId]) await n8n.activateWorkflow(id);

			cluster = new QueueCluster(n8n, redis);
			const startedAt = Date.now();
			await cluster.startMain();
			await cluster.startWorkers(WORKERS);
			rest = new rt.N8nRest(cluster.baseUrl);
			await rest.setupOwner(OWNER);
			await rest.login(OWNER);
			// The trigger's activation poll records where MDR stands; incidents from before are not events.
			await rt.waitFor(async () => (await triggerSandbox.requests('incidents/list', { limit: 1 })).length > 0, {
				timeoutMs: 120_000,
				describe: () => `the trigger never polled; n8n log:\n${rt.tail(n8n.serverLog())}`,
			});
			report(line, 'startup', {
				database: 'PostgreSQL 15',
				postgresAndMigrationsMs: migratedMs,
				mainAndWorkersMs: Date.now() - startedAt,
				setupMs: Date.now() - setupStartedAt,
			});
		});

		afterAll(async () => {
			await cluster?.stop();
			await proxy?.stop();
			await sandbox?.stop();
			await triggerSandbox?.stop();
			await redis?.stop();
			await postgres?.stop();
		});

		describe.each([
			{ status: 401, expiry: 'stored access token already expired' },
			{ status: 403, expiry: 'stored access token already expired' },
			{ status: 401, expiry: 'access token expired by MDR before its exp' },
			{ status: 403, expiry: 'access token expired by MDR before its exp' },
		])('$expiry, MDR answering $status', ({ status, expiry }) => {
			test(`${EXECUTIONS} parallel executions of 5 MDR calls all succeed and the stored refresh token stays valid`, async () => {
				const serverSide = expiry.startsWith('access token expired by MDR');
				await sandbox.configure({ expiredAccessStatus: status });
				const pair = await sandbox.control('POST', '/tokens/mint-pair', { accessTtlSeconds: serverSide ? 3600 : -60 });
				await n8n.importCredentials([mdrCredential(loadCredentialId, 'MDR load', connection(), pair)]);
				if (serverSide) await sandbox.control('POST', '/tokens/expire-access', {});
				await sandbox.resetCounters();
				proxy.confirms = [];
				const sinceSeq = await sandbox.lastSeq();
				const [newestBefore] = await executions(loadWorkflowId);
				const executionIdBefore = Number(newestBefore?.id ?? 0);

				const startedAt = Date.now();
				const calls = Array.from({ length: EXECUTIONS }, (_, i) => callWebhook('scale-load', { i }));
				// New incidents appear while the workers run actions: the trigger on main must deliver each once.
				await rt.sleep(500);
				await newIncident(`Scale: ${status} ${serverSide ? 'server' : 'local'} expiry`);
				const answers = await Promise.all(calls);
				const wallMs = Date.now() - startedAt;

				const counters = await sandbox.counters();
				const log = (await sandbox.requests(undefined, { sinceSeq, limit: 5000 })) as Array<LoggedRequest & { time: number }>;
				const spentJti = jtiOf(pair.refreshToken);
				const oldAccessJti = jtiOf(pair.accessToken);
				const confirms = log.filter((r) => r.path === 'session/confirm');
				const okConfirm = confirms.find((r) => r.status === 200);
				const firstNewUse = log.find(
					(r) => r.path !== 'session/confirm' && r.status === 200 && r.headers.authorization?.jti !== oldAccessJti,
				);
				const byProcess: Record<string, string[]> = {};
				for (const seen of proxy.confirms) {
					const worker = cluster.workerByPid(seen.pid);
					const who = worker ? `worker ${worker.index}` : seen.pid === n8n.server?.child.pid ? 'main' : `pid ${seen.pid}`;
					(byProcess[who] ??= []).push(String(seen.status));
				}
				const failed = answers.filter((a) => a.status !== 200 || typeof a.body?.count !== 'number');
				// What n8n recorded: a webhook answer can be lost by main even when the execution succeeded.
				const recorded: any[] = await rt.waitFor<any>(
					async () => {
						const mine = (await executions(loadWorkflowId)).filter((e: any) => Number(e.id) > executionIdBefore);
						return mine.length >= EXECUTIONS && mine.every((e: any) => e.status !== 'running' && e.status !== 'new') && mine;
					},
					{ timeoutMs: 60_000, intervalMs: 1_000 },
				);
				const recordedStatuses: Record<string, number> = {};
				for (const e of recorded) recordedStatuses[e.status] = (recordedStatuses[e.status] ?? 0) + 1;
				const failedTexts = await Promise.all(
					recorded.filter((e: any) => e.status !== 'success').slice(0, 3).map((e: any) => executionText(e.id)),
				);

				const stored = await storedLoadCredential();
				const storedValid = await sandbox.isValidRefreshToken(stored.refreshToken);
				const next = await callWebhook('scale-load', { next: true });
				const afterNext = await sandbox.counters();

				report(line, `${EXECUTIONS}×5 calls, ${expiry}, MDR ${status}`, {
					executionsRecorded: recordedStatuses,
					executionErrors: failedTexts.map((t: string) =>
						t.includes(REJECTED_MESSAGE) ? REJECTED_MESSAGE : t.includes(LOST_MESSAGE) ? LOST_MESSAGE : t.slice(0, 300),
					),
					webhookAnswersOk: answers.length - failed.length,
					webhookAnswersMissing: failed.map((a) => ({ status: a.status, body: a.body })),
					confirmsOk: counters.confirm.ok,
					confirmsRejected: counters.confirm.rejected,
					confirmsByProcess: byProcess,
					spentTokenPresentedTimes: confirms.filter((r) => r.body?.refresh_token?.jti === spentJti).length,
					rejectedAfterOkMs: confirms.filter((r) => r.status !== 200).map((r) => r.time - (okConfirm?.time ?? 0)),
					confirmToFirstUseOfNewTokenMs: okConfirm && firstNewUse ? firstNewUse.time - okConfirm.time : null,
					apiCalls: counters.totals.performed,
					status401or403: log.filter((r) => r.status === 401 || r.status === 403).length - counters.confirm.rejected,
					wallMs,
					slowestExecutionMs: Math.max(...answers.map((a) => a.ms)),
					storedRefreshTokenValid: storedValid,
					nextRunStatus: next.status,
					nextRunConfirms: afterNext.confirm.ok - counters.confirm.ok,
				});

				expect(recordedStatuses).toEqual({ success: EXECUTIONS });
				expect(storedValid).toBe(true);
				expect(await sandbox.isValidRefreshToken(pair.refreshToken)).toBe(false);
				expect(counters.confirm.ok).toBeGreaterThanOrEqual(1);
				expect(next.status).toBe(200);
				expect(typeof next.body.count).toBe('number');
				expect(afterNext.confirm.ok).toBe(counters.confirm.ok);
			});
		});

		test('the trigger on main delivers each new incident exactly once while workers run actions', async () => {
			await newIncident('Scale: after the load');
			const startedAt = Date.now();
			await rt.waitFor(async () => (await Promise.all(created.map(deliveries))).every((d) => d.length >= 1), {
				timeoutMs: 150_000,
				intervalMs: 2_000,
				describe: () => `not delivered; n8n log:\n${rt.tail(n8n.serverLog())}`,
			});
			// Let the comments of that poll's executions land, and one more poll pass, before counting.
			await rt.sleep(3_000);
			const delivered = await Promise.all(created.map(deliveries));
			const eventIds = delivered.flat().map((text) => text.slice(DELIVERED.length + 1));
			const polls = (await triggerSandbox.requests('incidents/list', { limit: 5000 })).length;
			const triggerExecutions = await executions(triggerWorkflowId);
			report(line, 'trigger on main', {
				incidentsCreated: created.length,
				deliveriesPerIncident: delivered.map((d) => d.length),
				distinctEventIds: new Set(eventIds).size,
				seededDelivered: (await Promise.all(seeded.map(deliveries))).flat().length,
				pollRequests: polls,
				triggerExecutions: triggerExecutions.length,
				triggerExecutionStatuses: triggerExecutions.map((e: any) => e.status),
				waitedForLastPollMs: Date.now() - startedAt,
			});

			for (const d of delivered) expect(d).toHaveLength(1);
			expect(new Set(eventIds).size).toBe(eventIds.length);
			for (const id of seeded) expect(await deliveries(id)).toEqual([]);
			expect(triggerExecutions.every((e: any) => e.status === 'success')).toBe(true);
		});

		test('a worker killed while its refresh waits to reach MDR loses nothing: the next execution refreshes normally', async () => {
			await sandbox.resetCounters();
			const hold = proxy.holdNextConfirm('before-mdr');
			const pending = callWebhook('scale-kill', { kill: 'before-mdr' }, 20_000);
			const { pid } = await hold.held;
			const victim = cluster.workerByPid(pid);
			expect(victim).toBeDefined();
			await cluster.kill(victim!);
			const killedAt = Date.now();
			const killedAnswer = await pending;
			const answerAfterKillMs = Date.now() - killedAt;

			const afterKill = await sandbox.counters();
			const storedBefore = (await n8n.exportCredential(killCredentialId)).data;
			const stillValid = await sandbox.isValidRefreshToken(storedBefore.refreshToken);
			await cluster.startWorker();
			const next = await callWebhook('scale-kill', { after: 'kill' });
			const counters = await sandbox.counters();
			const stored = (await n8n.exportCredential(killCredentialId)).data;
			const [killedExecution] = (await executions(killWorkflowId)).slice(-1);

			report(line, 'worker SIGKILLed with its confirm held before MDR', {
				killedWorker: victim!.index,
				webhookAnswerForKilledExecution: { status: killedAnswer.status, body: killedAnswer.body },
				answerAfterKillMs,
				killedExecutionStatus: killedExecution?.status,
				confirmsReachingMdrBeforeRecovery: afterKill.confirm,
				storedTokenValidAfterKill: stillValid,
				nextRunStatus: next.status,
				nextRunBody: next.body,
				confirmsAfterRecovery: counters.confirm,
				storedTokenValidAtEnd: await sandbox.isValidRefreshToken(stored.refreshToken),
			});

			expect(afterKill.confirm).toEqual({ ok: 0, rejected: 0 });
			expect(stillValid).toBe(true);
			expect(next.status).toBe(200);
			expect(counters.confirm).toEqual({ ok: 1, rejected: 0 });
			expect(await sandbox.isValidRefreshToken(stored.refreshToken)).toBe(true);
		});

		test('a worker killed after MDR rotated the token but before n8n got the answer: the next execution fails with the clear message', async () => {
			// Start from a credential that needs a refresh again.
			await n8n.importCredentials([
				mdrCredential(killCredentialId, 'MDR kill', connection(), { refreshToken: await sandbox.mintRefreshToken() }),
			]);
			await sandbox.resetCounters();
			const hold = proxy.holdNextConfirm('after-mdr');
			const pending = callWebhook('scale-kill', { kill: 'after-mdr' }, 20_000);
			const { pid } = await hold.held;
			const victim = cluster.workerByPid(pid);
			expect(victim).toBeDefined();
			await cluster.kill(victim!);
			const killedAnswer = await pending;
			const afterKill = await sandbox.counters();
			const storedAfterKill = (await n8n.exportCredential(killCredentialId)).data;
			const storedValid = await sandbox.isValidRefreshToken(storedAfterKill.refreshToken);

			await cluster.startWorker();
			const next = await callWebhook('scale-kill', { after: 'kill' });
			const counters = await sandbox.counters();
			const [newest] = await executions(killWorkflowId);
			const nextText = newest ? await executionText(newest.id) : '';

			report(line, 'worker SIGKILLed after MDR rotated, before the answer arrived', {
				killedWorker: victim!.index,
				webhookAnswerForKilledExecution: { status: killedAnswer.status, body: killedAnswer.body },
				confirmsAfterKill: afterKill.confirm,
				storedTokenValidAfterKill: storedValid,
				nextRunStatus: next.status,
				nextRunBody: next.body,
				nextRunMs: next.ms,
				nextRunError: nextText.includes(REJECTED_MESSAGE)
					? REJECTED_MESSAGE
					: nextText.includes(LOST_MESSAGE)
						? LOST_MESSAGE
						: 'other',
				confirmsAfterNextRun: counters.confirm,
			});

			expect(afterKill.confirm).toEqual({ ok: 1, rejected: 0 });
			expect(storedValid).toBe(false);
			expect(next.status).not.toBe(200);
			expect(nextText).toContain(REJECTED_MESSAGE);
			expect(rt.redact(nextText)).toBe(nextText);
		});
	});
}
