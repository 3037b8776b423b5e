'use strict';

// A deliberately small Markdown → HTML converter for `markdown_to_html: true`. It covers what the
// seeded texts use (headings, paragraphs, lists, code, emphasis, links) and escapes everything else.

function escapeHtml(text) {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

function inline(text) {
	return escapeHtml(text)
		.replace(/`([^`]+)`/g, '<code>$1</code>')
		.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
		.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
		.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

function markdownToHtml(markdown) {
	if (typeof markdown !== 'string' || markdown === '') return markdown;

	const out = [];
	const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
	let paragraph = [];
	let list = null; // 'ul' | 'ol'
	let code = null;

	const flushParagraph = () => {
		if (paragraph.length) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
		paragraph = [];
	};
	const closeList = () => {
		if (list) out.push(`</${list}>`);
		list = null;
	};

	for (const line of lines) {
		if (code !== null) {
			if (line.startsWith('```')) {
				out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
				code = null;
			} else code.push(line);
			continue;
		}
		if (line.startsWith('```')) {
			flushParagraph();
			closeList();
			code = [];
			continue;
		}
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
		const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
		if (heading) {
			flushParagraph();
			closeList();
			out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
		} else if (bullet || numbered) {
			flushParagraph();
			const kind = bullet ? 'ul' : 'ol';
			if (list !== kind) {
				closeList();
				out.push(`<${kind}>`);
				list = kind;
			}
			out.push(`<li>${inline((bullet || numbered)[1])}</li>`);
		} else if (line.trim() === '') {
			flushParagraph();
			closeList();
		} else {
			closeList();
			paragraph.push(line);
		}
	}
	if (code !== null) out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
	flushParagraph();
	closeList();
	return out.join('\n');
}

module.exports = { markdownToHtml };
