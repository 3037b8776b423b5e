import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { poll } from './poll';
import { triggerProperties } from './properties';

export class KasperskyMdrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaspersky MDR Trigger',
		name: 'kasperskyMdrTrigger',
		icon: {
			light: 'file:../../icons/kasperskyMdr.svg',
			dark: 'file:../../icons/kasperskyMdr.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Kaspersky MDR incidents, comments, responses or attachments change',
		defaults: { name: 'Kaspersky MDR Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kasperskyMdrApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll(this);
	}
}
