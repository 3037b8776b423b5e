import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { answerOrDefault, requireId } from '../../helpers/parameters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		required: true,
		default: '',
		description:
			'ID of the comment to delete (comment_id). Only comments written through this API connection can be deleted.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const commentId = requireId(this, 'commentId', 'comment ID', itemIndex);
	const answer = await mdrRequest<unknown>(this, {
		path: 'comments/delete',
		body: { comment_id: commentId },
		kind: 'write',
		itemIndex,
	});
	return [{ json: answerOrDefault(answer, { comment_id: commentId, deleted: true }) }];
}
