/** The example workflows import cleanly: every parameter they set exists on the node they use. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { KasperskyMdr } from '../../nodes/KasperskyMdr/KasperskyMdr.node';
import { KasperskyMdrTrigger } from '../../nodes/KasperskyMdrTrigger/KasperskyMdrTrigger.node';

const ours: Record<string, INodeType> = {
	'n8n-nodes-kaspersky-mdr.kasperskyMdr': new KasperskyMdr(),
	'n8n-nodes-kaspersky-mdr.kasperskyMdrTrigger': new KasperskyMdrTrigger(),
};

const folder = join(__dirname, '../../examples');
const files = readdirSync(folder).filter((file) => file.endsWith('.json'));

function unknownParameters(
	parameters: Record<string, unknown>,
	properties: INodeProperties[],
): string[] {
	const unknown: string[] = [];
	for (const [name, value] of Object.entries(parameters)) {
		const candidates = properties.filter((property) => property.name === name);
		if (candidates.length === 0) {
			unknown.push(name);
			continue;
		}
		const collection = candidates.find((property) => property.type === 'collection');
		if (collection && value && typeof value === 'object') {
			const options = (collection.options ?? []) as INodeProperties[];
			for (const key of Object.keys(value)) {
				if (!options.some((option) => option.name === key)) unknown.push(`${name}.${key}`);
			}
		}
	}
	return unknown;
}

it.each(files)('%s uses only parameters the package nodes have', (file) => {
	const workflow = JSON.parse(readFileSync(join(folder, file), 'utf8')) as {
		nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
	};
	const packageNodes = workflow.nodes.filter((node) => node.type in ours);

	expect(packageNodes.length).toBeGreaterThan(0);
	for (const node of packageNodes) {
		expect(unknownParameters(node.parameters, ours[node.type].description.properties)).toEqual([]);
	}
});
