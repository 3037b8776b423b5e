import { allIncidents, byId, useSandbox } from './context';

const mdr = useSandbox({ incidents: 20, seed: 5 });

it('Comment → Create sends the Markdown text to the incident and returns the comment', async () => {
	const [incident] = await allIncidents(mdr.sandbox);
	const text = 'Ticket opened: [SEC-42](https://tickets.example/SEC-42)';

	const { items, error } = await mdr.run({
		resource: 'comment',
		operation: 'create',
		incidentId: byId(incident.incident_id),
		text,
	});

	expect(error).toBeUndefined();
	expect(await mdr.sent('comments/create')).toEqual([{ incident_id: incident.incident_id, text }]);
	expect(items[0].json).toMatchObject({
		incident_id: incident.incident_id,
		text,
		author_name: 'n8n integration',
	});
	const stored = (await mdr.sandbox.control.getIncident(incident.incident_id as never)) as {
		comments: Array<{ text: string }>;
	};
	expect(stored.comments.map((comment) => comment.text)).toContain(text);
});

it('Comment → Create refuses an empty text', async () => {
	const [incident] = await allIncidents(mdr.sandbox);

	const { error } = await mdr.run({
		resource: 'comment',
		operation: 'create',
		incidentId: byId(incident.incident_id),
		text: '={{ "   " }}',
	});

	expect(error?.message).toBe('The comment text is empty');
	expect(await mdr.sent('comments/create')).toEqual([]);
});

it('Comment → Get Many lists the comments of an incident up to the limit', async () => {
	const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.comments.length >= 2)!;

	const { items } = await mdr.run({
		resource: 'comment',
		operation: 'getMany',
		incidentId: byId(incident.incident_id),
		limit: 1,
	});

	expect(await mdr.sent('comments/list')).toEqual([{ incident_id: incident.incident_id }]);
	expect(items.map((item) => item.json.comment_id)).toEqual([incident.comments[0].comment_id]);
});

it('Comment → Delete removes a comment this connection wrote', async () => {
	const [incident] = await allIncidents(mdr.sandbox);
	const created = await mdr.run({
		resource: 'comment',
		operation: 'create',
		incidentId: byId(incident.incident_id),
		text: 'temporary',
	});
	const commentId = created.items[0].json.comment_id as string;

	const { items, error } = await mdr.run({ resource: 'comment', operation: 'delete', commentId });

	expect(error).toBeUndefined();
	expect(await mdr.sent('comments/delete')).toEqual([{ comment_id: commentId }]);
	expect(items[0].json).toMatchObject({ comment_id: commentId, deleted: true });
	const stored = (await mdr.sandbox.control.getIncident(incident.incident_id as never)) as {
		comments: Array<{ comment_id: string }>;
	};
	expect(stored.comments.map((comment) => comment.comment_id)).not.toContain(commentId);
});

it('Comment → Delete names a comment MDR does not know', async () => {
	const { error } = await mdr.run({
		resource: 'comment',
		operation: 'delete',
		commentId: 'NoSuchComment',
	});

	expect(error?.message).toBe(
		'MDR answered 404 to comments/delete: Comment NoSuchComment not found',
	);
});
