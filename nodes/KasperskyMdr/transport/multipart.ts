import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export interface MultipartFile {
	data: Buffer;
	fileName: string;
	mimeType?: string;
}

function quoted(value: string): string {
	return value.replace(/[\r\n"\\]/g, (character) => (character === '"' ? '%22' : '_'));
}

/**
 * The attachments/upload body: a `file` part with the bytes and a `meta` part holding a JSON
 * string. Built by hand as one buffer, so no form library is needed and the body can be re-sent.
 */
export function encodeMultipart(
	file: MultipartFile,
	meta: IDataObject,
): { body: Buffer; contentType: string } {
	const boundary = `----n8nKasperskyMdr${randomBytes(16).toString('hex')}`;
	const fileHeader =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="file"; filename="${quoted(file.fileName)}"\r\n` +
		`Content-Type: ${file.mimeType ?? 'application/octet-stream'}\r\n\r\n`;
	const metaPart =
		`\r\n--${boundary}\r\n` +
		'Content-Disposition: form-data; name="meta"\r\n' +
		'Content-Type: application/json\r\n\r\n' +
		`${JSON.stringify(meta)}\r\n--${boundary}--\r\n`;
	return {
		body: Buffer.concat([Buffer.from(fileHeader, 'utf8'), file.data, Buffer.from(metaPart, 'utf8')]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}
