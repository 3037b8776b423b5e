import { updateDisplayOptions } from 'n8n-workflow';

import { decisionOperation, decisionProperties } from '../../helpers/responseDecision';

export const description = updateDisplayOptions(
	{ show: { resource: ['response'], operation: ['decline'] } },
	decisionProperties('decline'),
);

export const { prepare, executeBatch } = decisionOperation('Declined');
