import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { allIncidents, byId, useSandbox } from './context';

const mdr = useSandbox({ incidents: 20, seed: 13 });

function fileItem(data: Buffer, fileName: string): { json: IDataObject; binary: IDataObject } {
	return {
		json: {},
		binary: {
			evidence: { data: data.toString('base64'), fileName, mimeType: 'application/zip' },
		},
	};
}

it('an uploaded attachment downloads back byte-identical, with its file name', async () => {
	const [incident] = await allIncidents(mdr.sandbox);
	const content = randomBytes(300_000);

	const uploaded = await mdr.run(
		{
			resource: 'attachment',
			operation: 'upload',
			incidentId: byId(incident.incident_id),
			binaryPropertyName: 'evidence',
			caption: 'Memory dump of WS-0001',
		},
		[fileItem(content, 'memory dump.zip')],
	);
	expect(uploaded.error).toBeUndefined();
	const [upload] = await mdr.sent('attachments/upload');
	expect(upload).toMatchObject({
		meta: { incident_id: incident.incident_id, caption: 'Memory dump of WS-0001' },
		file: expect.objectContaining({ filename: 'memory dump.zip', size: content.length }),
	});
	const attachmentId = uploaded.items[0].json.attachment_id as string;
	expect(uploaded.items[0].json).toMatchObject({
		full_name: 'memory dump.zip',
		file_size: content.length,
	});

	const downloaded = await mdr.run({
		resource: 'attachment',
		operation: 'download',
		incidentId: byId(incident.incident_id),
		attachmentId,
		binaryPropertyName: 'file',
	});

	expect(downloaded.error).toBeUndefined();
	expect(await mdr.sent('attachments/list')).toEqual([{ incident_id: incident.incident_id }]);
	expect(await mdr.sent('attachments/download')).toEqual([{ attachment_id: attachmentId }]);
	const binary = downloaded.items[0].binary!.file;
	expect(binary.fileName).toBe('memory dump.zip');
	expect(Buffer.from(binary.data, 'base64').equals(content)).toBe(true);
	expect(downloaded.items[0].json).toMatchObject({
		attachment_id: attachmentId,
		caption: 'Memory dump of WS-0001',
	});
});

it('refuses an attachment over Max File Size before downloading anything', async () => {
	const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.attachments.length > 0)!;
	const attachment = incident.attachments[0];
	const size = attachment.file_size as number;

	const { error } = await mdr.run({
		resource: 'attachment',
		operation: 'download',
		incidentId: byId(incident.incident_id),
		attachmentId: attachment.attachment_id,
		maxFileSizeMb: (size - 1) / 1024 / 1024,
	});

	expect(error?.message).toMatch(
		new RegExp(
			`^The attachment '${attachment.full_name}' is [\\d.]+ (KB|bytes), over the Max File Size of`,
		),
	);
	expect(error?.description).toContain('Nothing was downloaded');
	expect(await mdr.sent('attachments/download')).toEqual([]);
});

it('drops a download over Max File Size when MDR did not list the size', async () => {
	const [incident] = await allIncidents(mdr.sandbox);
	const content = randomBytes(4096);
	const attachment = (await mdr.sandbox.control.addAttachment(incident.incident_id as never, {
		full_name: 'unsized.bin',
		content: content.toString('base64'),
		unlistedSize: true,
	} as never)) as IDataObject;
	const download = (maxFileSizeMb: number) =>
		mdr.run({
			resource: 'attachment',
			operation: 'download',
			incidentId: byId(incident.incident_id),
			attachmentId: attachment.attachment_id,
			maxFileSizeMb,
		});

	const refused = await download(0.001);
	const refusedDownloads = await mdr.sent('attachments/download');
	const unlimited = await download(0);

	expect(attachment.file_size).toBeUndefined();
	expect(refused.error?.message).toBe(
		"The attachment 'unsized.bin' is 4.0 KB, over the Max File Size of 0.001 MB",
	);
	expect(refused.error?.description).toContain('MDR did not list its size');
	expect(refused.items.every((item) => item.binary === undefined)).toBe(true);
	expect(refusedDownloads).toHaveLength(1);
	expect(unlimited.error).toBeUndefined();
	const binary = unlimited.items[0].binary!.data;
	expect(Buffer.from(binary.data, 'base64').equals(content)).toBe(true);
});

it('names an attachment the incident does not have', async () => {
	const [incident] = await allIncidents(mdr.sandbox);

	const { error } = await mdr.run({
		resource: 'attachment',
		operation: 'download',
		incidentId: byId(incident.incident_id),
		attachmentId: 'NoSuchAttachment',
	});

	expect(error?.message).toBe(
		`Incident ${incident.incident_id} has no attachment with ID NoSuchAttachment`,
	);
	expect(await mdr.sent('attachments/download')).toEqual([]);
});

it('names the missing binary field on upload and lists the ones the item has', async () => {
	const [incident] = await allIncidents(mdr.sandbox);

	const { error } = await mdr.run(
		{
			resource: 'attachment',
			operation: 'upload',
			incidentId: byId(incident.incident_id),
			binaryPropertyName: 'data',
		},
		[fileItem(Buffer.from('x'), 'x.txt')],
	);

	expect(error?.message).toBe("The input item has no binary field 'data'");
	expect(error?.description).toContain('evidence');
	expect(await mdr.sent('attachments/upload')).toEqual([]);
});

it('Attachment → Get Many lists the files of an incident with their sizes', async () => {
	const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.attachments.length > 0)!;

	const { items } = await mdr.run({
		resource: 'attachment',
		operation: 'getMany',
		incidentId: byId(incident.incident_id),
		returnAll: true,
	});

	expect(await mdr.sent('attachments/list')).toEqual([{ incident_id: incident.incident_id }]);
	expect(items.map((item) => item.json)).toEqual(JSON.parse(JSON.stringify(incident.attachments)));
});
