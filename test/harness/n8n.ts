/**
 * Runs this package's nodes inside n8n's real execution engine (n8n-core's WorkflowExecute and
 * PollContext), with a credentials helper that treats preAuthentication exactly as n8n's own
 * CredentialsHelper does: it runs the hook when the expirable field is empty (or on n8n's retry),
 * and writes the hook's output to the stored credential only when it carries the expirable key.
 * The stored credential is read afresh on every access, like n8n's database row.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'mdr-n8n-'));

import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { KasperskyMdrApi } from '../../credentials/KasperskyMdrApi.credentials';
import { KasperskyMdr } from '../../nodes/KasperskyMdr/KasperskyMdr.node';
import { KasperskyMdrTrigger } from '../../nodes/KasperskyMdrTrigger/KasperskyMdrTrigger.node';
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { recordSeen, registerToken } from './secrets';

export const CREDENTIAL_ID = 'cred-1';
export const CREDENTIAL_REF: INodeCredentialsDetails = {
	id: CREDENTIAL_ID,
	name: 'Kaspersky MDR (sandbox)',
};

function registerTokens(data: ICredentialDataDecryptedObject): void {
	registerToken(data.refreshToken);
	registerToken(data.accessToken);
}

/** The credential row: what n8n would keep encrypted in its database. */
export class CredentialStore {
	private data: ICredentialDataDecryptedObject;

	/** Every write preAuthentication caused, in order. */
	readonly writes: ICredentialDataDecryptedObject[] = [];

	/** Which n8n line's error wrapping the credentials helper reproduces. */
	n8nLine: 1 | 2 = 2;

	constructor(initial: ICredentialDataDecryptedObject) {
		this.data = { ...initial };
		registerTokens(this.data);
	}

	read(): ICredentialDataDecryptedObject {
		return { ...this.data };
	}

	/** Writes still to refuse, the way a busy SQLite file or a dropped database connection does. */
	refuseWrites = 0;

	write(data: ICredentialDataDecryptedObject): void {
		registerTokens(data);
		if (this.refuseWrites > 0) {
			this.refuseWrites -= 1;
			throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY', errno: 5 });
		}
		this.data = { ...data };
		this.writes.push({ ...data });
	}

	/** What another n8n process would do: replace fields directly in the database. */
	patch(fields: ICredentialDataDecryptedObject): void {
		registerTokens(fields);
		this.data = { ...this.data, ...fields };
	}
}

const credentialType: ICredentialType = new KasperskyMdrApi();

class FaithfulCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	/**
	 * n8n 1.x passes what preAuthentication throws on as an error that keeps only its message and
	 * description; `store.n8nLine = 1` reproduces that here.
	 */
	private async runHook(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		try {
			return await credentialType.preAuthentication!.call(helpers, credentials);
		} catch (error) {
			if (this.store.n8nLine === 2) throw error;
			const { message, description } = error as { message: string; description?: string };
			throw Object.assign(new Error(message), { description });
		}
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialType.authenticate as (
			c: ICredentialDataDecryptedObject,
			o: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const gate = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (gate === undefined || credentialType.preAuthentication === undefined) return undefined;
		if (credentials[gate.name] !== '' && !credentialsExpired) return undefined;

		const output = await this.runHook(helpers, credentials);
		if (output[gate.name] === undefined) return undefined;
		// n8n 1.x merges the output into the object it was given before writing; 2.x writes a merged
		// copy first and merges only after the write succeeded.
		if (this.store.n8nLine === 1) {
			this.store.write(Object.assign(credentials, output));
		} else {
			this.store.write({ ...credentials, ...output } as ICredentialDataDecryptedObject);
			Object.assign(credentials, output);
		}
		return credentials;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const output = await credentialType.preAuthentication!.call(helpers, credentials);
		return output.sessionGate === undefined
			? undefined
			: ({ ...credentials, ...output } as ICredentialDataDecryptedObject);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	/** Like n8n, fills the properties the stored data lacks with their defaults. */
	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.read();
		for (const property of credentialType.properties) {
			if (data[property.name] === undefined) data[property.name] = property.default as never;
		}
		return data;
	}

	async updateCredentials(
		_details: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.write(data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}

/** Emits the items given in its `items` parameter: the start of every test workflow. */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as INodeExecutionData[];
		return [items.map((item) => ({ json: item.json ?? {}, binary: item.binary }))];
	}
}

/** A node with the MDR credential and no parameters: the transport's caller in transport tests. */
class TransportProbe implements INodeType {
	description = {
		displayName: 'MDR transport probe',
		name: 'testMdrProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the MDR transport directly',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'kasperskyMdrApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];
}

const nodeTypeList: Record<string, INodeType> = {
	'test.mdrProbe': new TransportProbe(),
	'n8n-nodes-kaspersky-mdr.kasperskyMdr': new KasperskyMdr(),
	'n8n-nodes-kaspersky-mdr.kasperskyMdrTrigger': new KasperskyMdrTrigger(),
	'test.items': new ItemsSource(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypeList[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => nodeTypeList[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

function additionalData(store: CredentialStore, workflow: Workflow, mode: WorkflowExecuteMode) {
	const hooks = new ExecutionLifecycleHooks(mode, 'exec-1', {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: false,
		settings: {},
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	return {
		credentialsHelper: new FaithfulCredentialsHelper(store),
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used in these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeRunResult {
	/** Output items of the node under test (first output). */
	items: INodeExecutionData[];
	/** The error that stopped the run, if any (message and description as a user reads them). */
	error?: { message: string; description?: string | null; itemIndex?: number };
	run: IRun;
}

/**
 * Runs `Items → node` through WorkflowExecute and returns the node's output. `parameters` are the
 * node's parameters as the editor would save them.
 */
export async function runNode(
	store: CredentialStore,
	parameters: IDataObject,
	input: INodeExecutionData[] = [{ json: {} }],
	options: { continueOnFail?: boolean; type?: string } = {},
): Promise<NodeRunResult> {
	const nodeName = 'Kaspersky MDR';
	const nodes: INode[] = [
		{
			id: 'n0',
			name: 'Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: input as unknown as IDataObject[] } as never,
		},
		{
			id: 'n1',
			name: nodeName,
			type: options.type ?? 'n8n-nodes-kaspersky-mdr.kasperskyMdr',
			typeVersion: 1,
			position: [200, 0],
			parameters: parameters as never,
			credentials: { kasperskyMdrApi: CREDENTIAL_REF },
			onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
		},
	];
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'test',
		nodes,
		connections: { Items: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
		settings: {},
	});
	const execute = new WorkflowExecute(additionalData(store, workflow, 'manual'), 'manual');
	let run: IRun;
	try {
		run = await execute.run({ workflow, startNode: nodes[0] } as never);
	} catch (failure) {
		// n8n refuses to start a workflow whose parameters have issues (a required field is empty).
		const { message, description } = failure as { message: string; description?: string };
		recordSeen({ error: { message, description } });
		return { items: [], error: { message, description }, run: undefined as unknown as IRun };
	}

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const items = (taskData?.data?.main?.[0] ?? []) as INodeExecutionData[];
	const failure = run.data.resultData.error as
		| { message: string; description?: string | null; context?: { itemIndex?: number } }
		| undefined;
	const error = failure
		? {
				message: failure.message,
				description: failure.description,
				itemIndex: failure.context?.itemIndex,
			}
		: undefined;
	recordSeen({ items, error });
	return { items, error, run };
}

/** A trigger node in a workflow whose static data survives between polls, as n8n keeps it. */
export class PollingWorkflow {
	staticData: IDataObject = {};

	constructor(
		private readonly store: CredentialStore,
		private readonly parameters: IDataObject,
	) {}

	/** Runs one poll; `mode: 'manual'` is the editor's "Fetch Test Event". */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[] | null> {
		const node: INode = {
			id: 't1',
			name: 'Kaspersky MDR Trigger',
			type: 'n8n-nodes-kaspersky-mdr.kasperskyMdrTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: this.parameters as never,
			credentials: { kasperskyMdrApi: CREDENTIAL_REF },
		};
		const workflow = new Workflow({
			id: 'wf-trigger',
			name: 'trigger',
			nodes: [node],
			connections: {},
			active: mode === 'trigger',
			nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
			settings: {},
		});
		const context = new PollContext(
			workflow,
			node,
			additionalData(this.store, workflow, mode),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		const trigger = nodeTypeList[node.type];
		const result = await trigger.poll!.call(context);
		// n8n saves static data after successful non-manual runs only.
		if (mode === 'trigger') {
			this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		}
		const items = result?.[0] ?? null;
		recordSeen({ items, staticData: this.staticData });
		return items;
	}

	/** n8n restarted: static data reloaded from the database (a JSON round trip). */
	restart(): void {
		this.staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}
}

/**
 * An execution context of the action node, as n8n builds it for `execute()`: lets transport tests
 * call the MDR API through n8n's request helpers and the faithful credentials helper.
 */
export function nodeContext(store: CredentialStore): import('n8n-workflow').IExecuteFunctions {
	// Imported lazily: only transport tests need the context class itself.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { ExecuteContext } = require('n8n-core') as typeof import('n8n-core');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { createRunExecutionData } = require('n8n-workflow') as typeof import('n8n-workflow');
	const node: INode = {
		id: 'n1',
		name: 'Probe',
		type: 'test.mdrProbe',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { kasperskyMdrApi: CREDENTIAL_REF },
	};
	const workflow = new Workflow({
		id: 'wf-transport',
		name: 'transport',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	const input = [{ json: {} }];
	return new ExecuteContext(
		workflow,
		node,
		additionalData(store, workflow, 'manual'),
		'manual',
		createRunExecutionData(),
		0,
		input,
		{ main: [input] },
		{ node, data: { main: [input] }, source: null },
		[],
	);
}

/** The cheapest authenticated read, through the transport as a node would call it. */
export async function countIncidents(store: CredentialStore): Promise<number> {
	const answer = await mdrRequest<{ count: number }>(nodeContext(store), {
		path: 'incidents/count',
		body: {},
		kind: 'read',
	});
	return answer.count;
}
