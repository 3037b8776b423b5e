import { createHash, randomBytes } from 'node:crypto';
import { FormData, request } from 'undici';

import { call, session, start, type SandboxHandle, type Json } from './client';

let sandbox: SandboxHandle;
let token: string;
let incidentId: string;

beforeAll(async () => {
	sandbox = await start({ seed: 3 });
	token = (await session(sandbox)).access_token;
	incidentId = (await sandbox.control.listIncidents({ fields: ['incident_id'] }))[0].incident_id;
});

afterAll(async () => {
	await sandbox.close();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Random bytes salted with CRLFs, dashes and a near-copy of the boundary. */
function nastyBytes(boundary: string): Buffer {
	return Buffer.concat([
		randomBytes(5000),
		Buffer.from(`\r\n--${boundary.slice(0, -1)}\r\n\r\n--\r\n`),
		randomBytes(3000),
		Buffer.from('\r\n\r\n'),
		Buffer.from([0, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]),
	]);
}

async function download(attachmentId: string) {
	return await call(sandbox, 'attachments/download', { attachment_id: attachmentId }, { token });
}

describe('attachments', () => {
	test('an upload built by hand downloads byte for byte', async () => {
		const boundary = 'sandbox-boundary-7MA4YWxkTrZu0gW';
		const file = nastyBytes(boundary);
		const meta = JSON.stringify({ incident_id: incidentId, caption: 'Evidence' });
		const body = Buffer.concat([
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\n\r\n${meta}\r\n`,
			),
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dump.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
			),
			file,
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]);

		const uploaded = await call(sandbox, 'attachments/upload', null, {
			token,
			raw: body,
			contentType: `multipart/form-data; boundary=${boundary}`,
		});
		expect(uploaded.status).toBe(200);
		expect(uploaded.json).toMatchObject({
			full_name: 'dump.bin',
			caption: 'Evidence',
			file_size: file.length,
			author_name: 'n8n integration',
			origin: 'Client',
		});

		const downloaded = await download(uploaded.json.attachment_id);
		expect(downloaded.status).toBe(200);
		expect(downloaded.headers['content-type']).toBe('application/octet-stream');
		expect(downloaded.headers['content-disposition']).toContain('filename="dump.bin"');
		expect(sha256(downloaded.bytes)).toBe(sha256(file));
	});

	test('an upload from undici FormData round-trips, and the request log shows size and hash', async () => {
		const file = nastyBytes('formdata-undici');
		const form = new FormData();
		form.append('meta', JSON.stringify({ incident_id: incidentId, caption: 'Zip' }));
		form.append('file', new Blob([file], { type: 'application/octet-stream' }), 'Отчёт 1.zip');

		const res = await request(`${sandbox.apiUrl}/${sandbox.clientId}/attachments/upload`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}` },
			body: form,
		});
		const uploaded = (await res.body.json()) as Json;
		expect(res.statusCode).toBe(200);
		expect(uploaded.full_name).toBe('Отчёт 1.zip');

		const downloaded = await download(uploaded.attachment_id);
		expect(downloaded.bytes.equals(file)).toBe(true);
		expect(downloaded.headers['content-disposition']).toContain(
			`filename*=UTF-8''${encodeURIComponent('Отчёт 1.zip')}`,
		);
		const [entry] = await sandbox.control.getRequests({ path: 'attachments/upload', limit: 1 });
		expect(entry.body.file).toMatchObject({ size: file.length, sha256: sha256(file) });
		expect(entry.body.meta).toEqual({ incident_id: incidentId, caption: 'Zip' });
	});

	test('the upload shows in attachments/list and the incident', async () => {
		const listed = await call(
			sandbox,
			'attachments/list',
			{ incident_id: incidentId, fields: ['full_name'] },
			{ token },
		);
		expect(listed.json).toEqual(
			expect.arrayContaining([{ full_name: 'dump.bin' }, { full_name: 'Отчёт 1.zip' }]),
		);
	});

	test('a malformed upload is a 400', async () => {
		const noMeta = await call(sandbox, 'attachments/upload', null, {
			token,
			raw: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--b--\r\n',
			contentType: 'multipart/form-data; boundary=b',
		});
		const badMeta = await call(sandbox, 'attachments/upload', null, {
			token,
			raw: '--b\r\nContent-Disposition: form-data; name="meta"\r\n\r\n{nope\r\n--b--\r\n',
			contentType: 'multipart/form-data; boundary=b',
		});
		const notMultipart = await call(
			sandbox,
			'attachments/upload',
			{ incident_id: incidentId },
			{ token },
		);
		expect([noMeta.status, badMeta.status, notMultipart.status]).toEqual([400, 400, 400]);
		expect(noMeta.json.message).toBe("Part 'meta' is required");
	});

	test('a seeded or size-only attachment downloads its file_size in bytes', async () => {
		const added = await sandbox.control.addAttachment(incidentId, {
			full_name: 'big.bin',
			size: 1_000_000,
		});
		const downloaded = await download(added.attachment_id);
		expect(downloaded.bytes.length).toBe(1_000_000);
		expect((await download('missing')).status).toBe(404);
	});
});

describe('comments', () => {
	test('a created comment carries the connection name, bumps update_time and can be deleted', async () => {
		const before = (
			await call(
				sandbox,
				'incidents/details',
				{ incident_id: incidentId, fields: ['update_time'] },
				{ token },
			)
		).json.update_time;
		const created = await call(
			sandbox,
			'comments/create',
			{ incident_id: incidentId, text: 'Looking into **it**', markdown_to_html: true },
			{ token },
		);
		expect(created.json).toMatchObject({
			author_name: 'n8n integration',
			origin: 'Client',
			text: '<p>Looking into <strong>it</strong></p>',
		});

		const after = (
			await call(
				sandbox,
				'incidents/details',
				{ incident_id: incidentId, fields: ['update_time', 'comments'] },
				{ token },
			)
		).json;
		expect(after.update_time).toBeGreaterThanOrEqual(before);
		expect(after.comments.at(-1)).toMatchObject({
			comment_id: created.json.comment_id,
			text: 'Looking into **it**',
		});

		const deleted = await call(
			sandbox,
			'comments/delete',
			{ comment_id: created.json.comment_id },
			{ token },
		);
		expect(deleted.json).toEqual({ comment_id: created.json.comment_id, deleted: true });
		const listed = await call(sandbox, 'comments/list', { incident_id: incidentId }, { token });
		expect(listed.json.map((c: Json) => c.comment_id)).not.toContain(created.json.comment_id);
	});

	test("someone else's comment cannot be deleted", async () => {
		const soc = await sandbox.control.addComment(incidentId, {
			text: 'SOC note',
			author_name: 'Kaspersky SOC',
		});
		expect(
			(await call(sandbox, 'comments/delete', { comment_id: soc.comment_id }, { token })).status,
		).toBe(400);
	});

	test('connectionName changes the author of new comments', async () => {
		await sandbox.control.setConfig({ connectionName: 'SOAR bridge' });
		const created = await call(
			sandbox,
			'comments/create',
			{ incident_id: incidentId, text: 'x' },
			{ token },
		);
		await sandbox.control.setConfig({ connectionName: 'n8n integration' });
		expect(created.json.author_name).toBe('SOAR bridge');
	});
});

describe('responses', () => {
	const addPending = async () =>
		(await sandbox.control.addResponse(incidentId, {})).response_id as string;

	test('response/update confirms a pending response and answers it', async () => {
		const id = await addPending();
		const answer = await call(
			sandbox,
			'response/update',
			{ response_id: id, status: 'Confirmed', comment: 'Go' },
			{ token },
		);
		expect(answer.json).toMatchObject({ response_id: id, status: 'Confirmed', comment: 'Go' });
		expect(
			(
				await call(
					sandbox,
					'response/update',
					{ response_id: id, status: 'Declined', comment: '' },
					{ token },
				)
			).status,
		).toBe(400);
		expect(
			(
				await call(
					sandbox,
					'response/update',
					{ response_id: id, status: 'Waiting', comment: '' },
					{ token },
				)
			).status,
		).toBe(400);
	});

	test('responses/update is all-or-nothing by default', async () => {
		const [a, b] = [await addPending(), await addPending()];
		const failed = await call(
			sandbox,
			'responses/update',
			{ responses_ids: [a, 'MDR_missing'], status: 'Declined', comment: 'No' },
			{ token },
		);
		expect(failed.status).toBe(404);
		const ok = await call(
			sandbox,
			'responses/update',
			{ responses_ids: [a, b], status: 'Declined', comment: 'No' },
			{ token },
		);
		expect(ok.json.map((r: Json) => [r.response_id, r.status])).toEqual([
			[a, 'Declined'],
			[b, 'Declined'],
		]);
	});

	test('responses/update answers per id when bulkUpdateBehavior is "per-id"', async () => {
		await sandbox.control.setConfig({ bulkUpdateBehavior: 'per-id' });
		const a = await addPending();
		const answer = await call(
			sandbox,
			'responses/update',
			{ responses_ids: [a, 'MDR_missing'], status: 'Confirmed', comment: '' },
			{ token },
		);
		await sandbox.control.setConfig({ bulkUpdateBehavior: 'atomic' });

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual([
			{ response_id: a, success: true, response: expect.objectContaining({ status: 'Confirmed' }) },
			{
				response_id: 'MDR_missing',
				success: false,
				status: 404,
				error: 'not_found',
				message: 'Response MDR_missing not found',
			},
		]);
	});

	test('the pending literal follows pendingResponseStatus', async () => {
		const id = await addPending();
		await sandbox.control.setConfig({ pendingResponseStatus: 'Pending' });
		const listed = await call(
			sandbox,
			'responses/list',
			{ incident_id: incidentId, page_size: 100 },
			{ token },
		);
		await sandbox.control.setConfig({ pendingResponseStatus: 'Waiting' });
		expect(listed.json.find((r: Json) => r.response_id === id).status).toBe('Pending');
	});

	test.each([
		['empty-object', 200, {}],
		['empty-body', 200, undefined],
	])('uncertainAnswers "%s" changes the answer of response/update', async (mode, status, json) => {
		await sandbox.control.setConfig({ uncertainAnswers: mode });
		const answer = await call(
			sandbox,
			'response/update',
			{ response_id: await addPending(), status: 'Confirmed', comment: '' },
			{ token },
		);
		await sandbox.control.setConfig({ uncertainAnswers: 'object' });
		expect([answer.status, answer.json]).toEqual([status, json]);
	});
});
