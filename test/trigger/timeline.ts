/**
 * Building trigger timelines against the sandbox: a frozen sandbox clock that tests move by hand,
 * changes made through the sandbox's control functions, and polls through n8n's PollContext.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PollingWorkflow } from '../harness/n8n';
import { freshCredential, type Sandbox } from '../harness/sandbox';

export const ALL_EVENTS = [
	'newIncident',
	'incidentUpdated',
	'incidentStatusChanged',
	'newComment',
	'newResponse',
	'responseStatusChanged',
	'newAttachment',
];

export type Incident = IDataObject & {
	incident_id: string;
	creation_time: number;
	update_time: number;
};

/** Freezes the sandbox clock at `nowMs` and regenerates its data around that moment. */
export async function resetAt(
	sandbox: Sandbox,
	nowMs: number,
	options: IDataObject = {},
): Promise<void> {
	await sandbox.control.setClock({ nowMs, frozen: true } as never);
	await sandbox.control.reset({ incidents: 20, anchorMs: nowMs - 86_400_000, ...options } as never);
	await sandbox.control.setConfig({ resultWindow: 10_000, windowBehavior: 'error' } as never);
}

/** The sandbox's control functions, loosely typed (sandbox/README.md documents them). */
export function control(
	sandbox: Sandbox,
): Record<string, (...args: unknown[]) => Promise<unknown>> {
	return sandbox.control as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
}

export async function advance(sandbox: Sandbox, ms: number): Promise<number> {
	const state = (await sandbox.control.setClock({ advanceMs: ms } as never)) as { nowMs: number };
	return state.nowMs;
}

export async function createIncident(
	sandbox: Sandbox,
	fields: IDataObject = {},
): Promise<Incident> {
	return (await sandbox.control.createIncident(fields as never)) as Incident;
}

export async function triggerWorkflow(
	sandbox: Sandbox,
	parameters: IDataObject = {},
): Promise<PollingWorkflow> {
	const store = await freshCredential(sandbox);
	return new PollingWorkflow(store, {
		events: ALL_EVENTS,
		filters: {},
		simplify: true,
		options: {},
		...parameters,
	});
}

export function eventIds(items: INodeExecutionData[] | null): string[] {
	return (items ?? []).map((item) => item.json.eventId as string);
}

/** Polls until a poll delivers nothing; returns every eventId delivered, poll by poll. */
export async function drain(workflow: PollingWorkflow, maxPolls = 50): Promise<string[][]> {
	const polls: string[][] = [];
	for (let i = 0; i < maxPolls; i++) {
		const items = await workflow.poll();
		if (items === null) return polls;
		polls.push(eventIds(items));
	}
	throw new Error(`still delivering after ${maxPolls} polls`);
}

export function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
