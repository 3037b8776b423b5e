import { allIncidents, useSandbox } from './context';

const mdr = useSandbox({ incidents: 15, seed: 17 });

const call = (path: string, body = '{}', extra: Record<string, unknown> = {}) => ({
	resource: 'customApiCall',
	operation: 'call',
	path,
	body,
	...extra,
});

it('calls the path under the client with the JSON body and returns one item per object', async () => {
	const { items, error } = await mdr.run(
		call('incidents/list', '{"page_size": 3, "priorities": ["LOW"]}'),
	);

	expect(error).toBeUndefined();
	expect(await mdr.sent('incidents/list')).toEqual([{ page_size: 3, priorities: ['LOW'] }]);
	expect(items.length).toBeGreaterThan(0);
	expect(items.every((item) => item.json.priority === 'LOW')).toBe(true);
});

it('returns the answer as a file when asked', async () => {
	const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.attachments.length > 0)!;
	const attachment = incident.attachments[0];

	const { items } = await mdr.run(
		call('attachments/download', JSON.stringify({ attachment_id: attachment.attachment_id }), {
			responseFormat: 'file',
		}),
	);

	const binary = items[0].binary!.data;
	expect(binary.fileName).toBe(attachment.full_name);
	expect(Buffer.from(binary.data, 'base64').length).toBe(attachment.file_size);
});

it('refuses a body that is not valid JSON', async () => {
	const { error } = await mdr.run(call('incidents/list', '{"page_size": 3,'));

	expect(error?.message).toBe('The Body is not valid JSON');
	expect(await mdr.sent('incidents/list')).toEqual([]);
});

it('refuses a body that is a list rather than an object', async () => {
	const { error } = await mdr.run(call('incidents/list', '[1, 2]'));

	expect(error?.message).toBe('The Body must be a JSON object');
});

it.each([
	['https://evil.example/steal', "The Path 'https://evil.example/steal' is a URL, not a path"],
	['//evil.example/x', "The Path '//evil.example/x' is a URL, not a path"],
	[
		'../other-client/incidents/list',
		"The Path '../other-client/incidents/list' tries to leave the API with '.' or '..'",
	],
	['incidents/../../x', "The Path 'incidents/../../x' tries to leave the API with '.' or '..'"],
	['incidents\\..\\x', "The Path 'incidents\\..\\x' contains a backslash"],
	['%2e%2e/incidents/list', "The Path '%2e%2e/incidents/list' contains percent-encoding"],
	['incidents%2flist', "The Path 'incidents%2flist' contains percent-encoding"],
	['incidents/list?page=2', "The Path 'incidents/list?page=2' contains a query or fragment"],
	['incidents/list#x', "The Path 'incidents/list#x' contains a query or fragment"],
	['={{ "" }}', 'The Path is empty'],
])('refuses the path %j without sending anything', async (path, message) => {
	await mdr.sandbox.control.resetCounters();

	const { error } = await mdr.run(call(path));

	expect(error?.message).toBe(message);
	expect((await mdr.sandbox.control.getCounters()).totals.received).toBe(0);
});
