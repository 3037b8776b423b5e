/** An answer body as n8n hands it over: bytes, or a stream when the request asked for one. */
export type AnswerBody = Buffer | AsyncIterable<Uint8Array> | undefined;

function isStream(body: AnswerBody): body is AsyncIterable<Uint8Array> {
	return body !== undefined && !Buffer.isBuffer(body) && Symbol.asyncIterator in (body as object);
}

/** The whole body as bytes: error answers and bodies that are thrown away are small. */
export async function readBytes(body: AnswerBody): Promise<Buffer> {
	if (body === undefined) return Buffer.alloc(0);
	if (!isStream(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/**
 * The body as text, decoded chunk by chunk. A page of 1,000 incidents is a few megabytes: decoding
 * it as it arrives avoids holding it once more as one large buffer, which makes V8 run full
 * garbage collections on n8n's heap and slows long exports markedly.
 */
export async function readText(body: AnswerBody): Promise<string> {
	if (!isStream(body)) return (body ?? Buffer.alloc(0)).toString('utf8');
	const decoder = new TextDecoder('utf-8');
	let text = '';
	for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
	return text + decoder.decode();
}
