/**
 * The package under injected faults (429 with and without Retry-After, 5xx, connection resets,
 * slow answers, answers lost after the write was applied): reads come back complete and exact,
 * writes reach MDR at most once and report truthfully, the trigger loses and repeats nothing, and
 * a token refresh survives a flaky session/confirm. Every fault sequence is seeded.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { DEFAULT_READ_POLICY } from '../../nodes/KasperskyMdr/transport/retry';
import { runNode, nodeContext, type CredentialStore } from '../harness/n8n';
import { recordSeen } from '../harness/secrets';
import {
	endpointCount,
	freshCredential,
	startTestSandbox,
	usedCredential,
	type Sandbox,
} from '../harness/sandbox';
import { byId } from '../node/context';
import {
	advance,
	control,
	createIncident,
	eventIds as eventIdsOf,
	triggerWorkflow,
	type Incident,
} from '../trigger/timeline';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox({ incidents: 20, seed: 41 });
});

afterAll(async () => {
	await sandbox.close();
});

type Row = Record<string, unknown>;

/** Faults that answer at once with an HTTP status; `reset`, `delay`, `drop-after` are not. */
const STATUS_FAULTS = ['429', '429-retry-after', '429-retry-date', '500', '502', '503', '504'];

/** The request log of `path` after `sinceSeq`, oldest first. */
async function requestsOf(path: string, sinceSeq: number): Promise<Row[]> {
	return await sandbox.control.getRequests({ path, sinceSeq, limit: 5_000 });
}

async function lastSeq(): Promise<number> {
	const [last] = await sandbox.control.getRequests({ limit: 1 });
	return Number(last?.seq ?? 0);
}

/** The fault a logged request met: its kind, or undefined when it was answered normally. */
function faultOf(entry: Row): string | undefined {
	const outcome = String(entry.outcome);
	if (outcome === 'ok' || outcome === 'rejected') return undefined;
	const delayed = /^ok \((.+)\)$/.exec(outcome);
	return delayed ? delayed[1] : outcome;
}

describe('Incident → Get Many (Return All) with 20% of reads failing', () => {
	const DELAY_MS = 2_500;
	// Weighted so that slow answers are rare: 1 in 12 faults is a 2.5 s delay.
	const KINDS = [
		'429',
		'429-retry-after',
		'429-retry-date',
		'500',
		'502',
		'503',
		'504',
		'reset',
		'429-retry-after',
		'503',
		'reset',
		'delay',
	];
	let store: CredentialStore;
	let expectedIds: string[];

	beforeAll(async () => {
		await sandbox.control.reset({ incidents: 10_000, seed: 41, resetConfig: true } as never);
		// Pages of 100 (MDR names the limit, the node adopts it): about 100 list calls per export,
		// enough for a 20% fault rate to hit every kind.
		await sandbox.control.setConfig({ maxPageSize: 100, pageSizeBehavior: 'error' });
		const incidents = (await sandbox.control.listIncidents()) as Array<{ incident_id: string }>;
		expectedIds = incidents.map((incident) => incident.incident_id).sort();
		store = await freshCredential(sandbox);
	}, 60_000);

	afterAll(async () => {
		await sandbox.control.clearFaults();
	});

	async function exportAll(): Promise<{
		ids: string[];
		ms: number;
		error: unknown;
		since: number;
	}> {
		const since = await lastSeq();
		const started = Date.now();
		const { items, error } = await runNode(store, {
			resource: 'incident',
			operation: 'getMany',
			returnAll: true,
		});
		return {
			ids: items.map((item) => item.json.incident_id as string),
			ms: Date.now() - started,
			error,
			since,
		};
	}

	it('exports exactly the 10,000 incidents, once each, within a bound set by the faults met', async () => {
		expect(expectedIds).toHaveLength(10_000);
		const clean = await exportAll();
		expect(clean.error).toBeUndefined();
		expect(clean.ids).toHaveLength(10_000);

		// Every kind once, spread over the export (a fault every few calls), then a seeded fifth of
		// all reads at random.
		const everyKind = [...new Set(KINDS)].flatMap((kind) => [
			{ path: 'incidents/list', kind: 'delay', delayMs: 1 },
			{ path: 'incidents/list', kind: 'delay', delayMs: 1 },
			{ path: 'incidents/list', kind, retryAfter: 1, delayMs: DELAY_MS },
		]);
		await sandbox.control.setFaults({
			script: everyKind,
			rate: 0.2,
			kinds: KINDS,
			scope: 'reads',
			seed: 13,
			retryAfter: 1,
			delayMs: DELAY_MS,
		});
		const faulty = await exportAll();
		await sandbox.control.clearFaults();

		expect(faulty.error).toBeUndefined();
		expect(new Set(faulty.ids).size).toBe(faulty.ids.length);
		expect(faulty.ids).toHaveLength(10_000);
		expect([...faulty.ids].sort()).toEqual(expectedIds);

		const log = await requestsOf('incidents/list', faulty.since);
		const faults = log.map(faultOf).filter((kind): kind is string => kind !== undefined);
		// The script makes the run meet every kind of fault; the rate, about a fifth of all list calls.
		expect(new Set(faults)).toEqual(new Set(KINDS));
		expect(faults.length).toBeGreaterThanOrEqual(Math.floor(log.length * 0.12));
		const counters = await endpointCount(sandbox, 'incidents/list');
		expect(counters.faulted).toBeGreaterThanOrEqual(faults.length);

		// The bound: the clean run's time (with 50% slack for a shared CPU), plus for each fault
		// the longest wait the retry rules allow for it — Retry-After: 1 s asks 1 s, an HTTP-date
		// Retry-After up to 2 s (it is rounded up to a whole second), a delay its 2.5 s, and any
		// other fault the full backoff for that attempt (500 ms × 2^attempt, attempt counted per
		// call) — plus 5 s for everything else. A client that retried past the budget, waited
		// more than asked, or retried in a loop would exceed it.
		let allowedMs = clean.ms * 1.5 + 5_000;
		let attempt = 0;
		for (const entry of log) {
			const kind = faultOf(entry);
			if (kind === undefined || kind === 'delay') {
				if (kind === 'delay') allowedMs += DELAY_MS;
				attempt = 0;
				continue;
			}
			allowedMs +=
				kind === '429-retry-after'
					? 1_000
					: kind === '429-retry-date'
						? 2_000
						: Math.min(
								DEFAULT_READ_POLICY.maxDelayMs,
								DEFAULT_READ_POLICY.baseDelayMs * 2 ** attempt,
							);
			attempt++;
		}
		// The scripted spacers are 1 ms delays, not 2.5 s ones.
		allowedMs -= everyKind.filter((entry) => entry.delayMs === 1).length * DELAY_MS;
		expect(faulty.ms).toBeLessThan(allowedMs);
	}, 120_000);
});

/** One write operation run over many items, with how to recognise each item at the sandbox. */
interface WriteCase {
	name: string;
	path: string;
	parameters: IDataObject;
	items: Array<{ json: IDataObject; binary?: IDataObject }>;
	/** The item's key, as found in a logged request body. */
	keyOfBody(body: IDataObject): string | undefined;
	keys: string[];
	/** How many times each key's change is present in MDR's data. */
	appliedCounts(): Promise<Map<string, number>>;
}

function count<T>(values: T[]): Map<T, number> {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

async function incidents(): Promise<IDataObject[]> {
	return (await sandbox.control.listIncidents()) as IDataObject[];
}

async function openIncidents(n: number, offset: number): Promise<string[]> {
	const open = (await incidents()).filter((incident) => incident.status !== 'Closed');
	return open.slice(offset, offset + n).map((incident) => incident.incident_id as string);
}

async function commentCase(n: number, tag: string): Promise<WriteCase> {
	const [incidentId] = await openIncidents(1, 0);
	const keys = Array.from({ length: n }, (_, i) => `${tag} comment ${i}`);
	return {
		name: 'Comment → Create',
		path: 'comments/create',
		parameters: {
			resource: 'comment',
			operation: 'create',
			incidentId: byId(incidentId),
			text: '={{ $json.text }}',
		},
		items: keys.map((text) => ({ json: { text } })),
		keyOfBody: (body) => body.text as string | undefined,
		keys,
		appliedCounts: async () => {
			const incident = (await sandbox.control.getIncident(incidentId as never)) as IDataObject;
			return count((incident.comments as IDataObject[]).map((comment) => comment.text as string));
		},
	};
}

async function decisionCase(
	n: number,
	tag: string,
	operation: 'confirm' | 'decline',
): Promise<WriteCase> {
	const [incidentId] = await openIncidents(1, 1);
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const response = (await sandbox.control.addResponse(
			incidentId as never,
			{} as never,
		)) as IDataObject;
		ids.push(response.response_id as string);
	}
	const decided = operation === 'confirm' ? 'Confirmed' : 'Declined';
	return {
		name: `Response → ${operation}`,
		path: 'response/update',
		// A different comment per item: one response/update call per item.
		parameters: {
			resource: 'response',
			operation,
			responseId: '={{ $json.id }}',
			comment: '={{ $json.comment }}',
		},
		items: ids.map((id, i) => ({ json: { id, comment: `${tag} ${operation} ${i}` } })),
		keyOfBody: (body) => body.response_id as string | undefined,
		keys: ids,
		appliedCounts: async () => {
			const incident = (await sandbox.control.getIncident(incidentId as never)) as IDataObject;
			return count(
				(incident.responses as IDataObject[])
					.filter((response) => response.status === decided)
					.map((response) => response.response_id as string),
			);
		},
	};
}

async function closeCase(n: number, tag: string): Promise<WriteCase> {
	const ids = await openIncidents(n, 2);
	expect(ids).toHaveLength(n);
	return {
		name: 'Incident → Close',
		path: 'incidents/close',
		parameters: {
			resource: 'incident',
			operation: 'close',
			incidentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			resolution: 'FALSE_POSITIVE',
			summary: `={{ "${tag} closed " + $json.id }}`,
		},
		items: ids.map((id) => ({ json: { id } })),
		keyOfBody: (body) => body.incident_id as string | undefined,
		keys: ids,
		appliedCounts: async () =>
			count(
				(await incidents())
					.filter(
						(incident) => incident.status_description === `${tag} closed ${incident.incident_id}`,
					)
					.map((incident) => incident.incident_id as string),
			),
	};
}

async function uploadCase(n: number, tag: string): Promise<WriteCase> {
	const [incidentId] = await openIncidents(1, 0);
	const keys = Array.from({ length: n }, (_, i) => `${tag.replace(/\W/g, '-')}-evidence-${i}.txt`);
	return {
		name: 'Attachment → Upload',
		path: 'attachments/upload',
		parameters: {
			resource: 'attachment',
			operation: 'upload',
			incidentId: byId(incidentId),
			binaryPropertyName: 'data',
			caption: 'fault test',
		},
		items: keys.map((fileName) => ({
			json: {},
			binary: {
				data: {
					data: Buffer.from(`contents of ${fileName}`).toString('base64'),
					fileName,
					mimeType: 'text/plain',
				},
			},
		})),
		keyOfBody: (body) => (body.file as IDataObject | undefined)?.filename as string | undefined,
		keys,
		appliedCounts: async () => {
			const incident = (await sandbox.control.getIncident(incidentId as never)) as IDataObject;
			return count((incident.attachments as IDataObject[]).map((a) => a.full_name as string));
		},
	};
}

interface WriteReport {
	faultsMet: string[];
	/** Items whose write was applied although they failed (the answer was lost). */
	uncertain: Array<{ key: string; item: INodeExecutionData }>;
}

/**
 * Runs the case with Continue On Fail and checks, item by item, that its write was sent exactly
 * once, applied at most once, and that the item succeeded exactly when MDR applied the write and
 * answered — with an error naming what happened otherwise.
 */
async function runWrites(write: WriteCase): Promise<WriteReport> {
	const before = await endpointCount(sandbox, write.path);
	const since = await lastSeq();
	const store = await freshCredential(sandbox);

	const { items, error } = await runNode(store, write.parameters, write.items as never, {
		continueOnFail: true,
	});

	expect(error).toBeUndefined();
	expect(items).toHaveLength(write.items.length);
	const log = await requestsOf(write.path, since);
	const applied = await write.appliedCounts();
	const after = await endpointCount(sandbox, write.path);
	const report: WriteReport = { faultsMet: [], uncertain: [] };

	write.keys.forEach((key, index) => {
		const item = items[index];
		expect(item.pairedItem).toEqual({ item: index });
		const sent = log.filter((entry) => write.keyOfBody(entry.body as IDataObject) === key);
		const context = `${write.name}, item ${index} (${key})`;
		// Never sent twice, whatever happened to the first attempt.
		expect({ context, sends: sent.length }).toEqual({ context, sends: 1 });
		const timesApplied = applied.get(key) ?? 0;
		expect(timesApplied).toBeLessThanOrEqual(1);

		const fault = faultOf(sent[0]);
		if (fault !== undefined) report.faultsMet.push(fault);
		const message = item.json.error as string | undefined;
		if (fault === undefined || fault === 'delay') {
			// Answered normally (a slow answer is only slow): applied, and the item shows the result.
			expect({ context, timesApplied, message }).toEqual({
				context,
				timesApplied: 1,
				message: undefined,
			});
		} else if (STATUS_FAULTS.includes(fault)) {
			const status = fault.slice(0, 3);
			const said =
				status === '429'
					? 'Too many requests, slow down'
					: 'The service is temporarily unable to answer';
			expect({ context, timesApplied, message }).toEqual({
				context,
				timesApplied: 0,
				message: `MDR answered ${status} to ${write.path}: ${said}`,
			});
		} else if (fault === 'reset') {
			// Refused before MDR applied anything, but the client cannot know that: it says so.
			expect({ context, timesApplied, message }).toEqual({
				context,
				timesApplied: 0,
				message: `The connection to MDR failed during ${write.path} (the connection was reset): MDR may or may not have applied this change`,
			});
		} else if (fault === 'drop-after') {
			expect({ context, timesApplied, message }).toEqual({
				context,
				timesApplied: 1,
				message: expect.stringMatching(
					new RegExp(`^The connection to MDR failed during ${write.path} \\(.+\\): MDR may or may not have applied this change$`),
				),
			});
			report.uncertain.push({ key, item });
		} else {
			throw new Error(`${context}: unexpected fault ${fault}`);
		}
	});

	// The endpoint saw one request per item and carried out exactly the applied ones.
	const appliedTotal = write.keys.reduce((sum, key) => sum + (applied.get(key) ?? 0), 0);
	expect(after.received - before.received).toBe(write.items.length);
	expect(after.performed - before.performed).toBe(appliedTotal);
	expect(after.faulted - before.faulted).toBe(report.faultsMet.length);
	return report;
}

const WRITE_KINDS = [
	'429',
	'429-retry-after',
	'429-retry-date',
	'500',
	'502',
	'503',
	'504',
	'reset',
	'drop-after',
	'delay',
];

describe('writes with 20% of them failing', () => {
	beforeAll(async () => {
		await sandbox.control.reset({ incidents: 60, seed: 43, resetConfig: true } as never);
	});

	afterEach(async () => {
		await sandbox.control.clearFaults();
	});

	const cases: Array<[string, (n: number, tag: string) => Promise<WriteCase>]> = [
		['Comment → Create', commentCase],
		['Response → Confirm', (n, tag) => decisionCase(n, tag, 'confirm')],
		['Response → Decline', (n, tag) => decisionCase(n, tag, 'decline')],
		['Incident → Close', closeCase],
		['Attachment → Upload', uploadCase],
	];

	it.each(cases)(
		'%s: each item is sent once and fails exactly when MDR did not apply it',
		async (name, make) => {
			const write = await make(15, `rate ${name}`);
			await sandbox.control.setFaults({
				rate: 0.2,
				kinds: WRITE_KINDS,
				scope: 'writes',
				seed: 17 + cases.findIndex(([caseName]) => caseName === name),
				retryAfter: 1,
				delayMs: 2_000,
			});

			const report = await runWrites(write);

			expect(report.faultsMet.length).toBeGreaterThan(0);
		},
		60_000,
	);

	it.each(cases)(
		'%s: meets every kind of fault once, with the same guarantees',
		async (name, make) => {
			const write = await make(WRITE_KINDS.length + 2, `script ${name}`);
			// A clean item first and last, every fault kind in between.
			await sandbox.control.setFaults({
				script: [
					{ kind: 'delay', path: write.path, delayMs: 1 },
					...WRITE_KINDS.map((kind) => ({ kind, path: write.path, retryAfter: 1, delayMs: 2_000 })),
				],
			});

			const report = await runWrites(write);

			expect(report.faultsMet).toEqual(['delay', ...WRITE_KINDS]);
			expect(report.uncertain).toHaveLength(1);
		},
		60_000,
	);

	it('with Continue On Fail, an item whose write was applied but unanswered says MDR may or may not have applied it', async () => {
		const write = await commentCase(1, 'uncertain');
		await sandbox.control.setFaults({ script: [{ kind: 'drop-after', path: write.path }] });

		const report = await runWrites(write);

		expect(report.uncertain).toHaveLength(1);
		expect(JSON.stringify(report.uncertain[0].item.json)).toContain('may or may not have applied');
	});

	it('without Continue On Fail, the node error for an unanswered write says MDR may or may not have applied it', async () => {
		const write = await commentCase(1, 'uncertain stop');
		await sandbox.control.setFaults({ script: [{ kind: 'drop-after', path: write.path }] });
		const since = await lastSeq();

		const { error } = await runNode(
			await freshCredential(sandbox),
			write.parameters,
			write.items as never,
		);

		expect(error?.message).toBe(
			'The connection to MDR failed during comments/create (the connection was reset): MDR may or may not have applied this change',
		);
		expect(error?.description).toContain('Check the incident in MDR before running this step again');
		expect((await write.appliedCounts()).get(write.keys[0])).toBe(1);
		expect(await requestsOf(write.path, since)).toHaveLength(1);
	});
});

describe('the trigger with 20% of reads failing and a short retry budget', () => {
	const OVERLAP_MS = 600;
	const STEP_MS = 200;

	afterAll(async () => {
		await sandbox.control.clearFaults();
		await sandbox.control.setClock({ real: true } as never);
	});

	it.each([23, 31, 37])(
		'fault seed %i: delivers every change exactly once over many polls, and never saves a cursor past an undelivered change',
		async (seed) => {
			const start = Date.now() - (Date.now() % 1000);
			await sandbox.control.setClock({ nowMs: start, frozen: true } as never);
			await sandbox.control.reset({
				incidents: 20,
				seed: 47,
				anchorMs: start - 86_400_000,
			} as never);
			await sandbox.control.setConfig({ resultWindow: 10_000, windowBehavior: 'error' });

			// Status is filtered by the trigger itself: closed incidents are read (and move the cursor)
			// but deliver nothing, so bursts of them make polls read several pages.
			const workflow = await triggerWorkflow(sandbox, {
				filters: { statuses: ['Open', 'On hold', 'Resolved'] },
				options: {
					retryBudgetSeconds: 1.5,
					maxEventsPerPoll: 5,
					overlapMinutes: OVERLAP_MS / 60_000,
				},
			});
			await sandbox.control.setFaults({
				rate: 0.2,
				kinds: [
					'429',
					'429-retry-after',
					'429-retry-date',
					'500',
					'502',
					'503',
					'504',
					'reset',
					'reset',
					'delay',
				],
				scope: 'reads',
				seed,
				retryAfter: 1,
				delayMs: 1_000,
			});

			/** eventId → time of the change, for every event that must be delivered exactly once. */
			const expected = new Map<string, { time: number; incidentId: string }>();
			/** incident_id → every update_time it had after the baseline. */
			const versions = new Map<string, number[]>();
			const delivered: string[] = [];
			let polls = 0;
			let failedPolls = 0;

			let cutByFailure = 0;

			const poll = async (): Promise<INodeExecutionData[] | null> => {
				polls++;
				const since = await lastSeq();
				try {
					const items = await workflow.poll();
					for (const item of items ?? []) delivered.push(item.json.eventId as string);
					// A poll that succeeded although its last request failed handed over a partial sweep.
					const last = (await requestsOf('incidents/list', since)).at(-1);
					if (last !== undefined && faultOf(last) !== undefined && faultOf(last) !== 'delay') {
						cutByFailure++;
					}
					return items;
				} catch (error) {
					recordSeen(error);
					failedPolls++;
					expect((error as Error).message).toMatch(
						/^(MDR answered (429|50\d) to incidents\/list|MDR could not be reached)/,
					);
					return null;
				} finally {
					checkSavedState();
				}
			};

			const current = async (incidentId: string) =>
				(await sandbox.control.getIncident(incidentId as never)) as Incident;

			const noteVersion = async (incidentId: string) => {
				const { update_time: time } = await current(incidentId);
				versions.set(incidentId, [...(versions.get(incidentId) ?? []), time]);
				return time;
			};

			/** The trigger's saved state, in the node's part of the workflow's static data. */
			const savedState = () =>
				Object.values(workflow.staticData as Record<string, IDataObject>).find(
					(part) => part?.mdrTrigger !== undefined,
				)?.mdrTrigger as IDataObject | undefined;

			/** After each poll: everything the saved state will not read again has been delivered. */
			const checkSavedState = () => {
				const state = savedState();
				if (state === undefined) return;
				const sweep = state.sweep as { floor: number; resume: number } | undefined;
				const floor = sweep ? sweep.floor : (state.cursor as number) - OVERLAP_MS;
				const readFrom = sweep ? Math.max(floor, sweep.resume - OVERLAP_MS) : floor;
				const deliveredSet = new Set(delivered);
				const missing: string[] = [];
				for (const [eventId, { time, incidentId }] of expected) {
					const times = versions.get(incidentId) ?? [time];
					const latest = times[times.length - 1];
					if ((time < floor || latest < readFrom) && !deliveredSet.has(eventId))
						missing.push(eventId);
				}
				for (const [incidentId, times] of versions) {
					const latest = times[times.length - 1];
					const eventId = `incident:${incidentId}:updated:${latest}`;
					if (latest < readFrom && !deliveredSet.has(eventId)) missing.push(eventId);
				}
				expect({ poll: polls, state: { cursor: state.cursor, sweep }, missing }).toEqual({
					poll: polls,
					state: { cursor: state.cursor, sweep },
					missing: [],
				});
			};

			// Baseline: retried until one poll gets through (a failed poll saves nothing).
			for (let i = 0; i < 10 && savedState() === undefined; i++) await poll();
			expect(savedState()).toBeDefined();
			expect(delivered).toEqual([]);

			const baseline = (await sandbox.control.listIncidents()) as Incident[];
			const created: Incident[] = [];
			const pendingResponses: Array<{ id: string; incidentId: string }> = [];
			const step = async () => await advance(sandbox, STEP_MS);
			const closedBurst = async () => {
				await step();
				for (let n = 0; n < 250; n++) {
					await advance(sandbox, 1);
					await createIncident(sandbox, { status: 'Closed' });
				}
			};

			for (let round = 0; round < 20; round++) {
				await step();
				const incident = await createIncident(sandbox);
				created.push(incident);
				expected.set(`incident:${incident.incident_id}:created`, {
					time: incident.creation_time,
					incidentId: incident.incident_id,
				});

				await step();
				const target = created[Math.floor(round / 2)];
				const comment = (await control(sandbox).addComment(target.incident_id, {
					text: `round ${round}`,
				})) as { comment_id: string; creation_time: number };
				expected.set(`comment:${comment.comment_id}`, {
					time: comment.creation_time,
					incidentId: target.incident_id,
				});
				await noteVersion(target.incident_id);

				if (round % 2 === 0) {
					await step();
					const response = (await control(sandbox).addResponse(incident.incident_id, {})) as {
						response_id: string;
						creation_time: number;
					};
					expected.set(`response:${response.response_id}:created`, {
						time: response.creation_time,
						incidentId: incident.incident_id,
					});
					pendingResponses.push({ id: response.response_id, incidentId: incident.incident_id });
					await noteVersion(incident.incident_id);
				}
				if (round % 3 === 1) {
					await step();
					const attachment = (await control(sandbox).addAttachment(target.incident_id, {
						full_name: `round-${round}.txt`,
						size: 10,
					})) as { attachment_id: string; creation_time: number };
					expected.set(`attachment:${attachment.attachment_id}`, {
						time: attachment.creation_time,
						incidentId: target.incident_id,
					});
					await noteVersion(target.incident_id);
				}
				// Decide only responses the trigger has reported as awaiting a decision, so that
				// "New Response" is due for each of them whatever polls failed.
				for (const response of pendingResponses.splice(0)) {
					if (!delivered.includes(`response:${response.id}:created`)) {
						pendingResponses.push(response);
						continue;
					}
					const time = await step();
					await control(sandbox).updateResponse(response.id, { status: 'Confirmed' });
					expected.set(`response:${response.id}:status:Confirmed`, {
						time,
						incidentId: response.incidentId,
					});
					await noteVersion(response.incidentId);
				}
				if (round % 5 === 4) await closedBurst();
				// A status change on an incident the trigger knows, as that incident's last change.
				if (round % 4 === 3) {
					const known = baseline[round];
					const time = await step();
					const status = known.status === 'Resolved' ? 'Open' : 'Resolved';
					await control(sandbox).updateIncident(known.incident_id, { status });
					expected.set(`incident:${known.incident_id}:status:${status}:${time}`, {
						time,
						incidentId: known.incident_id,
					});
					await noteVersion(known.incident_id);
				}

				if (round === 9) {
					// Besides the random faults, one sure outage: the first page of this burst is served,
					// then MDR answers 503 for longer than the retry budget.
					await sandbox.control.setFaults({
						script: [
							{ kind: 'delay', path: 'incidents/list', delayMs: 1 },
							{ kind: '503', path: 'incidents/list', times: 8 },
						],
					});
				}
				await poll();
				await poll();
			}

			const faulted = (await endpointCount(sandbox, 'incidents/list')).faulted;
			const drainAll = async () => {
				for (let i = 0; i < 30; i++) if ((await poll()) === null) return;
				throw new Error('the trigger still delivers after 30 polls');
			};
			// MDR recovers: the backlog drains.
			await sandbox.control.clearFaults();
			await drainAll();

			// A sure partial poll: one new incident, a burst of closed ones after it, and MDR failing
			// for longer than the retry budget once the first page is served. The poll hands over
			// the one event it completed. (A lone change first, so that the overlap the poll re-reads
			// holds only that change and not the last burst.)
			await advance(sandbox, OVERLAP_MS * 2);
			await createIncident(sandbox, { status: 'Closed' });
			await drainAll();
			await step();
			const lastOne = await createIncident(sandbox);
			expected.set(`incident:${lastOne.incident_id}:created`, {
				time: lastOne.creation_time,
				incidentId: lastOne.incident_id,
			});
			await closedBurst();
			await sandbox.control.setFaults({
				script: [
					{ kind: 'delay', path: 'incidents/list', delayMs: 1 },
					{ kind: '503', path: 'incidents/list', times: 8 },
				],
			});
			const cutsBefore = cutByFailure;
			const partial = await poll();
			expect(cutByFailure).toBe(cutsBefore + 1);
			expect(eventIdsOf(partial)).toEqual([`incident:${lastOne.incident_id}:created`]);
			await sandbox.control.clearFaults();
			await drainAll();

			// Nothing twice.
			const repeated = [...count(delivered)].filter(([, n]) => n > 1).map(([id]) => id);
			expect(repeated).toEqual([]);
			// Nothing lost.
			const deliveredSet = new Set(delivered);
			expect([...expected.keys()].filter((id) => !deliveredSet.has(id))).toEqual([]);
			// Every update delivered is a real version, and every changed incident's last one is there.
			for (const id of delivered.filter((eventId) => eventId.includes(':updated:'))) {
				const [, incidentId, , time] = id.split(':');
				expect(versions.get(incidentId)).toContain(Number(time));
			}
			for (const [incidentId, times] of versions) {
				expect(delivered).toContain(`incident:${incidentId}:updated:${times[times.length - 1]}`);
			}
			// Every other event delivered is one of the changes made.
			const others = delivered.filter((id) => !id.includes(':updated:') && !expected.has(id));
			expect(others).toEqual([]);
			// The faults did bite: requests failed, and some polls failed as a whole.
			expect(faulted).toBeGreaterThan(5);
			expect(failedPolls).toBeGreaterThan(0);
		},
		120_000,
	);
});

describe('token refresh with session/confirm failing', () => {
	beforeAll(async () => {
		await sandbox.control.reset({ incidents: 20, seed: 53, resetConfig: true } as never);
	});

	afterEach(async () => {
		await sandbox.control.clearFaults();
	});

	async function tenConcurrentReads(store: CredentialStore) {
		return await Promise.allSettled(
			Array.from(
				{ length: 10 },
				async () =>
					await mdrRequest<{ count: number }>(nodeContext(store), {
						path: 'incidents/count',
						body: {},
						kind: 'read',
					}),
			),
		);
	}

	it.each(['500', '503', 'reset'])(
		'10 concurrent reads needing a refresh all succeed when confirm fails twice with %s (and 20% of reads fail)',
		async (kind) => {
			const store = await usedCredential(sandbox, -60);
			const spent = store.read().refreshToken as string;
			await sandbox.control.resetCounters();
			await sandbox.control.setFaults({
				script: [{ kind, path: 'session/confirm', times: 2 }],
				rate: 0.2,
				kinds: ['429', '503', 'reset'],
				scope: 'reads',
				seed: 29,
				retryAfter: 1,
			});

			const results = await tenConcurrentReads(store);
			recordSeen(results);

			expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
			const counters = await sandbox.control.getCounters();
			expect(counters.endpoints['session/confirm']).toEqual({
				received: 3,
				faulted: 2,
				performed: 1,
				rejected: 0,
			});
			expect(counters.confirm).toEqual({ ok: 1, rejected: 0 });
			expect(counters.endpoints['incidents/count'].faulted).toBeGreaterThan(0);
			const stored = store.read().refreshToken as string;
			expect(stored).not.toBe(spent);
			expect(await sandbox.control.checkToken({ refreshToken: stored })).toMatchObject({
				valid: true,
			});
		},
		30_000,
	);

	it('when confirm keeps failing past its retries, reads fail clearly and the stored refresh token still works', async () => {
		const store = await usedCredential(sandbox, -60);
		const original = store.read().refreshToken as string;
		await sandbox.control.resetCounters();
		await sandbox.control.setFaults({
			script: [{ kind: '503', path: 'session/confirm', times: 3 }],
		});

		const results = await tenConcurrentReads(store);
		recordSeen(results);

		const reasons = results.map((result) =>
			result.status === 'rejected' ? (result.reason as Error).message : 'ok',
		);
		expect(reasons).toEqual(Array(10).fill('MDR did not answer the token refresh (HTTP 503)'));
		expect((await sandbox.control.getCounters()).endpoints['session/confirm'].received).toBe(3);
		expect(store.read().refreshToken).toBe(original);
		expect(await sandbox.control.checkToken({ refreshToken: original })).toMatchObject({
			valid: true,
		});

		const again = await tenConcurrentReads(store);
		expect(again.filter((result) => result.status === 'rejected')).toEqual([]);
		expect(
			await sandbox.control.checkToken({ refreshToken: store.read().refreshToken as string }),
		).toMatchObject({
			valid: true,
		});
	}, 30_000);
});
