/**
 * The package inside a real n8n, driven through n8n's CLI only (`import:credentials`,
 * `import:workflow`, `execute`, `export:credentials`), against the MDR sandbox as its own process.
 * One suite per n8n line; see e2e/cli.n8n1.test.ts and e2e/cli.n8n2.test.ts.
 */
import { createHash } from 'crypto';
import * as path from 'path';

import {
	Gate,
	Sandbox,
	SqliteWriteLock,
	byId,
	explain,
	freshN8n,
	lineSelected,
	lineTitle,
	linearWorkflow,
	mdrCredential,
	n8nId,
	nodeItems,
	runError,
	timed,
	type LineId,
	type StepNode,
} from './fixtures';
import { Postgres } from './postgres';
import type { N8n } from './runtime';

const ATTACHMENT_BYTES = Buffer.from('MDR e2e attachment: process tree of the suspicious powershell.exe\n');
const COMMENT_TEXT = 'Checked by the n8n end-to-end suite: isolating the host.';
const CONFIRM_COMMENT = 'Confirmed by the n8n end-to-end suite';

/** A small read every token test runs: one page of incidents. */
const LIST_STEP: StepNode = {
	name: 'List Incidents',
	parameters: { resource: 'incident', operation: 'getMany', returnAll: false, limit: 2 },
};

interface Fixture {
	credentialId: string;
	workflowId: string;
	refreshToken: string;
	/** The n8n whose database holds it: the suite's SQLite one, or the PostgreSQL one. */
	n8n: N8n;
}

/** How long another process keeps n8n's SQLite file locked once MDR has rotated the token. */
const LOCK_HOLD_MS = 1_500;

export function cliSuite(line: LineId): void {
	const run = lineSelected(line) ? describe : describe.skip;

	run(`the package in ${lineTitle(line)}, through n8n's CLI`, () => {
		let sandbox: Sandbox;
		let gate: Gate;
		let n8n: N8n;
		let shared: N8n;
		let postgres: Postgres;
		const secrets: string[] = [];
		let incident: { incident_id: string; responseId: string; attachmentId: string };
		const fixtures: Record<string, Fixture> = {};

		/** Fails if any token the test knows appears in what n8n printed. */
		function expectNoSecrets(output: string): void {
			for (const secret of secrets) expect(output.includes(secret)).toBe(false);
		}

		async function stored(fixture: Fixture) {
			const credential = await fixture.n8n.exportCredential(fixture.credentialId);
			for (const key of ['refreshToken', 'accessToken']) {
				if (credential.data[key]) secrets.push(String(credential.data[key]));
			}
			return credential.data as { refreshToken: string; accessToken: string };
		}

		async function execute(fixture: Fixture, label: string) {
			const result = await timed(`${lineTitle(line)}: n8n execute (${label})`, () =>
				fixture.n8n.execute(fixture.workflowId, { label: `execute-${label}` }),
			);
			expectNoSecrets(result.output);
			return result;
		}

		beforeAll(async () => {
			await timed(`${lineTitle(line)}: CLI suite setup`, async () => {
				n8n = freshN8n(line, 'cli');
				// Several n8n processes on one database need PostgreSQL: n8n's SQLite file has no busy
				// timeout, so their writes collide with SQLITE_BUSY.
				postgres = await Postgres.start(path.join(n8n.logDir, 'postgres'));
				shared = freshN8n(line, 'cli-postgres', postgres.env);
				await shared.migrate();
				sandbox = await Sandbox.start(path.join(n8n.logDir, 'sandbox.log'));
				await sandbox.reset({ incidents: 6, seed: 17 });
				gate = new Gate(sandbox.apiUrl);
				await gate.start();

				const created = await sandbox.control('POST', '/incidents', {
					summary: 'E2E: suspicious PowerShell on a domain controller',
					priority: 'HIGH',
					status: 'Open',
					responses: [{ type: 'RUN_SCRIPT', comment: '' }],
				});
				const attachment = await sandbox.control('POST', `/incidents/${created.incident_id}/attachments`, {
					full_name: 'process-tree.txt',
					caption: 'Process tree',
					content: ATTACHMENT_BYTES.toString('base64'),
				});
				incident = {
					incident_id: created.incident_id,
					responseId: created.responses[0].response_id,
					attachmentId: attachment.attachment_id,
				};

				const imports = new Map<N8n, { workflows: object[]; credentials: object[] }>([
					[n8n, { workflows: [], credentials: [] }],
					[shared, { workflows: [], credentials: [] }],
				]);
				const add = async (
					name: string,
					steps: StepNode[],
					options: { spent?: boolean; credentialOf?: string; viaGate?: boolean; on?: N8n } = {},
				) => {
					const owner = options.credentialOf ? fixtures[options.credentialOf] : undefined;
					const fixture: Fixture = {
						credentialId: owner?.credentialId ?? n8nId(),
						workflowId: n8nId(),
						refreshToken: owner?.refreshToken ?? (await sandbox.mintRefreshToken()),
						n8n: owner?.n8n ?? options.on ?? n8n,
					};
					const { workflows, credentials } = imports.get(fixture.n8n)!;
					if (!owner) {
						secrets.push(fixture.refreshToken);
						if (options.spent) await sandbox.spend(fixture.refreshToken);
						const apiUrl = options.viaGate ? gate.apiUrl : sandbox.apiUrl;
						credentials.push(
							mdrCredential(fixture.credentialId, sandbox, fixture.refreshToken, `MDR ${name}`, apiUrl),
						);
					}
					workflows.push(linearWorkflow(fixture.workflowId, `E2E ${name}`, fixture.credentialId, steps));
					fixtures[name] = fixture;
				};

				await add('incident flow', [
					{
						name: 'List Incidents',
						parameters: { resource: 'incident', operation: 'getMany', returnAll: true },
					},
					{
						name: 'Get Incident',
						executeOnce: true,
						parameters: {
							resource: 'incident',
							operation: 'get',
							incidentId: byId(incident.incident_id),
							simplify: false,
						},
					},
					{
						name: 'Comment',
						executeOnce: true,
						parameters: {
							resource: 'comment',
							operation: 'create',
							incidentId: byId(incident.incident_id),
							text: COMMENT_TEXT,
						},
					},
					{
						name: 'Confirm Response',
						executeOnce: true,
						parameters: {
							resource: 'response',
							operation: 'confirm',
							responseId: incident.responseId,
							comment: CONFIRM_COMMENT,
						},
					},
					{
						name: 'Download Attachment',
						executeOnce: true,
						parameters: {
							resource: 'attachment',
							operation: 'download',
							incidentId: byId(incident.incident_id),
							attachmentId: incident.attachmentId,
							binaryPropertyName: 'data',
						},
					},
				]);
				// The second run spends the token that the incident flow stored: same credential.
				await add('second run', [LIST_STEP], { credentialOf: 'incident flow' });
				await add('401', [LIST_STEP]);
				await add('403', [LIST_STEP]);
				await add('ten processes', [LIST_STEP], { viaGate: true, on: shared });
				await add('locked database', [LIST_STEP], { viaGate: true });
				await add('spent token', [LIST_STEP], { spent: true });

				for (const [target, { credentials, workflows }] of imports) {
					await target.importCredentials(credentials);
					await target.importWorkflows(workflows);
				}
			});
		});

		afterAll(async () => {
			await n8n?.stop();
			await shared?.stop();
			await postgres?.stop();
			await gate?.stop();
			await sandbox?.stop();
		});

		test('a workflow lists incidents, reads one, comments on it, confirms a response and downloads an attachment', async () => {
			const result = await execute(fixtures['incident flow'], 'incident-flow');
			expect({ ok: result.ok, why: result.ok ? '' : explain(result) }).toEqual({ ok: true, why: '' });

			const listed = nodeItems(result.run, 'List Incidents').map((item) => item.json);
			expect(listed).toHaveLength(7);
			expect(listed.map((i) => i.incident_id)).toContain(incident.incident_id);
			expect(listed.find((i) => i.incident_id === incident.incident_id)).toMatchObject({
				summary: 'E2E: suspicious PowerShell on a domain controller',
				priority: 'HIGH',
				link: `https://mdr.kaspersky.com/incidents/${incident.incident_id}`,
			});

			const [read] = nodeItems(result.run, 'Get Incident');
			expect(read.json).toMatchObject({ incident_id: incident.incident_id, priority: 'HIGH' });

			const [comment] = nodeItems(result.run, 'Comment');
			expect(comment.json).toMatchObject({ incident_id: incident.incident_id, text: COMMENT_TEXT });

			const [confirmed] = nodeItems(result.run, 'Confirm Response');
			expect(confirmed.json).toMatchObject({ response_id: incident.responseId, status: 'Confirmed' });

			const [download] = nodeItems(result.run, 'Download Attachment');
			const binary = download.binary?.data;
			expect(binary).toBeDefined();
			expect(binary.fileName).toBe('process-tree.txt');
			if (typeof binary.data === 'string' && !binary.id) {
				// In-memory binary mode: the bytes themselves are in the printed run.
				const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
				expect(sha(Buffer.from(binary.data, 'base64'))).toBe(sha(ATTACHMENT_BYTES));
			} else {
				expect(Number(String(binary.fileSize).replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
			}

			const after = await sandbox.control('GET', `/incidents/${incident.incident_id}`);
			expect(after.comments.map((c: { text: string }) => c.text)).toContain(COMMENT_TEXT);
			expect(after.responses[0]).toMatchObject({ status: 'Confirmed', comment: CONFIRM_COMMENT });
			const downloads = await sandbox.requests('attachments/download');
			expect(downloads.map((r) => r.body?.attachment_id)).toContain(incident.attachmentId);
		});

		test('the rotated refresh token is stored in n8n, and a second run spends it and stores the next one', async () => {
			const { refreshToken: original } = fixtures['incident flow'];
			const first = await stored(fixtures['incident flow']);
			expect(first.refreshToken).not.toBe(original);
			expect(await sandbox.isValidRefreshToken(first.refreshToken)).toBe(true);
			expect(await sandbox.isValidRefreshToken(original)).toBe(false);

			await sandbox.expireAccessTokens();
			const confirmsBefore = (await sandbox.counters()).confirm.ok;
			const result = await execute(fixtures['second run'], 'second-run');
			expect({ ok: result.ok, why: result.ok ? '' : explain(result) }).toEqual({ ok: true, why: '' });
			expect(nodeItems(result.run, 'List Incidents')).toHaveLength(2);

			const confirms = await sandbox.requests('session/confirm', { limit: 5 });
			expect(confirms.at(-1)?.status).toBe(200);
			expect((await sandbox.counters()).confirm.ok).toBe(confirmsBefore + 1);
			const second = await stored(fixtures['incident flow']);
			expect(second.refreshToken).not.toBe(first.refreshToken);
			expect(await sandbox.isValidRefreshToken(second.refreshToken)).toBe(true);
			expect(await sandbox.isValidRefreshToken(first.refreshToken)).toBe(false);
		});

		for (const status of [401, 403] as const) {
			test(`an expired access token answered with ${status} is refreshed once and the rotation stored`, async () => {
				const fixture = fixtures[String(status)];
				await sandbox.configure({ expiredAccessStatus: status });
				try {
					const warmUp = await execute(fixture, `${status}-warm-up`);
					expect({ ok: warmUp.ok, why: warmUp.ok ? '' : explain(warmUp) }).toEqual({ ok: true, why: '' });
					const before = await stored(fixture);

					await sandbox.expireAccessTokens();
					await sandbox.resetCounters();
					const sinceSeq = await sandbox.lastSeq();
					const result = await execute(fixture, `${status}-expired`);
					expect({ ok: result.ok, why: result.ok ? '' : explain(result) }).toEqual({ ok: true, why: '' });
					expect(nodeItems(result.run, 'List Incidents')).toHaveLength(2);

					const counters = await sandbox.counters();
					expect(counters.confirm).toEqual({ ok: 1, rejected: 0 });
					const lists = await sandbox.requests('incidents/list', { sinceSeq });
					expect(lists.map((r) => r.status)).toEqual([status, 200]);

					const after = await stored(fixture);
					expect(after.refreshToken).not.toBe(before.refreshToken);
					expect(after.accessToken).not.toBe(before.accessToken);
					expect(await sandbox.isValidRefreshToken(after.refreshToken)).toBe(true);
				} finally {
					await sandbox.configure({ expiredAccessStatus: 401 });
				}
			});
		}

		test('ten n8n processes on one PostgreSQL database, started at once with an expired access token, all succeed with one confirm at most per process', async () => {
			const fixture = fixtures['ten processes'];
			const warmUp = await execute(fixture, 'ten-warm-up');
			expect({ ok: warmUp.ok, why: warmUp.ok ? '' : explain(warmUp) }).toEqual({ ok: true, why: '' });
			const before = await stored(fixture);

			await sandbox.expireAccessTokens();
			await sandbox.resetCounters();
			const sinceSeq = await sandbox.lastSeq();
			// Their first MDR request is held until all ten processes have sent it, so that all ten
			// get the 401 at once and refresh at the same time.
			gate.hold('/incidents/list', 10, 300_000);
			const results = await timed(`${lineTitle(line)}: ten parallel n8n execute`, () =>
				Promise.all(
					Array.from({ length: 10 }, (_, i) =>
						fixture.n8n.execute(fixture.workflowId, { label: `execute-parallel-${i}`, timeoutMs: 420_000 }),
					),
				),
			);
			for (const result of results) expectNoSecrets(result.output);

			const failures = results.filter((r) => !r.ok).map(explain);
			expect(failures).toEqual([]);
			for (const result of results) expect(nodeItems(result.run, 'List Incidents')).toHaveLength(2);

			const counters = await sandbox.counters();
			const confirms = await sandbox.requests('session/confirm', { sinceSeq });
			// Every confirm spent the one stored token: a process never spent a second one.
			const spent = new Set(confirms.map((r) => JSON.stringify(r.body?.refresh_token)));
			expect(spent.size).toBe(1);
			expect(gate.released).toBe(10);
			expect(counters.confirm.ok).toBe(1);
			// The race happened: other processes had their confirm rejected, and still succeeded.
			expect(counters.confirm.rejected).toBeGreaterThanOrEqual(1);
			expect(counters.confirm.ok + counters.confirm.rejected).toBeLessThanOrEqual(10);
			expect(confirms.length).toBe(counters.confirm.ok + counters.confirm.rejected);
			process.stdout.write(
				`[e2e] ${lineTitle(line)}: ten processes → ${counters.confirm.ok} confirm accepted, ${counters.confirm.rejected} rejected (lost the race), all items succeeded\n`,
			);

			const after = await stored(fixture);
			expect(after.refreshToken).not.toBe(before.refreshToken);
			expect(await sandbox.isValidRefreshToken(after.refreshToken)).toBe(true);
		});

		test("n8n's SQLite file locked by another process when the rotation is stored: saved on a later attempt, with one confirm", async () => {
			const fixture = fixtures['locked database'];
			const databaseFile = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
			await sandbox.resetCounters();
			let released: Promise<void> | undefined;
			gate.beforeNext('/session/confirm', async () => {
				const lock = await SqliteWriteLock.take(databaseFile);
				released = new Promise((resolve) => setTimeout(resolve, LOCK_HOLD_MS)).then(() => lock.release());
			});

			const result = await execute(fixture, 'locked-database');
			await released;

			expect(released).toBeDefined();
			expect({ ok: result.ok, why: result.ok ? '' : explain(result) }).toEqual({ ok: true, why: '' });
			expect(nodeItems(result.run, 'List Incidents')).toHaveLength(2);
			// The lock did refuse n8n's write, and the node saved the rotation again.
			expect(result.output).toMatch(/n8n could not save the rotated refresh token \(SQLITE_BUSY/);
			expect((await sandbox.counters()).confirm).toEqual({ ok: 1, rejected: 0 });
			const after = await stored(fixture);
			expect(after.refreshToken).not.toBe(fixture.refreshToken);
			expect(await sandbox.isValidRefreshToken(after.refreshToken)).toBe(true);
			expect(await sandbox.isValidRefreshToken(fixture.refreshToken)).toBe(false);
		});

		test('a spent refresh token gives the clear error and leaves the stored credential unchanged', async () => {
			const fixture = fixtures['spent token'];
			const before = await stored(fixture);
			await sandbox.resetCounters();

			const result = await execute(fixture, 'spent-token');
			expect(result.ok).toBe(false);
			const error = runError(result.run);
			expect(error?.message).toMatch(/MDR rejected the refresh token/);
			expect(error?.description).toMatch(/Create a new refresh token/);
			expect((await sandbox.counters()).confirm).toEqual({ ok: 0, rejected: 1 });

			const after = await stored(fixture);
			expect(after).toEqual(before);
			expect(after.refreshToken).toBe(fixture.refreshToken);
		});
	});
}
