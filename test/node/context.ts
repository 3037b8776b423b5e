/**
 * Shared setup of the action-node tests: one sandbox per test file, a credential for it, and
 * small readers for what the sandbox received.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode, type CredentialStore, type NodeRunResult } from '../harness/n8n';
import { freshCredential, startTestSandbox, type Sandbox } from '../harness/sandbox';

export interface NodeTestContext {
	sandbox: Sandbox;
	store: CredentialStore;
	/** Runs the node with the given parameters and input items. */
	run(
		parameters: IDataObject,
		input?: Array<{ json: IDataObject; binary?: IDataObject }>,
		options?: { continueOnFail?: boolean },
	): Promise<NodeRunResult>;
	/** The bodies the sandbox received on `path` since the last `run`, oldest first. */
	sent(path: string): Promise<IDataObject[]>;
}

export function useSandbox(options: Record<string, unknown> = {}): NodeTestContext {
	const context = { sinceSeq: 0 } as NodeTestContext & { sinceSeq: number };

	beforeAll(async () => {
		context.sandbox = await startTestSandbox(options);
		context.store = await freshCredential(context.sandbox);
	});

	afterAll(async () => {
		await context.sandbox.close();
	});

	context.run = async (parameters, input = [{ json: {} }], runOptions = {}) => {
		const last = await context.sandbox.control.getRequests({ limit: 1 });
		context.sinceSeq = Number(last[0]?.seq ?? 0);
		return await runNode(context.store, parameters, input as never, runOptions);
	};

	context.sent = async (path) => {
		const requests = await context.sandbox.control.getRequests({
			path,
			sinceSeq: context.sinceSeq,
			limit: 5000,
		});
		return requests.map((request) => request.body as IDataObject);
	};
	return context;
}

/** A resource locator value as the editor saves it. */
export function byId(value: string): IDataObject {
	return { __rl: true, mode: 'id', value };
}

export function byUrl(value: string): IDataObject {
	return { __rl: true, mode: 'url', value };
}

export interface SandboxIncident extends IDataObject {
	incident_id: string;
	incident_number: number;
	creation_time: number;
	update_time: number;
	comments: IDataObject[];
	attachments: IDataObject[];
	responses: IDataObject[];
}

export async function allIncidents(sandbox: Sandbox): Promise<SandboxIncident[]> {
	return (await sandbox.control.listIncidents()) as SandboxIncident[];
}
