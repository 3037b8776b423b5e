import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class KasperskyMdr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaspersky MDR',
		name: 'kasperskyMdr',
		icon: {
			light: 'file:../../icons/kasperskyMdr.svg',
			dark: 'file:../../icons/kasperskyMdr.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Work with Kaspersky Managed Detection and Response: incidents, response actions, comments, attachments and assets',
		defaults: { name: 'Kaspersky MDR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kasperskyMdrApi', required: true }],
		properties,
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
