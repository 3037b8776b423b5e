'use strict';

// The MDR endpoint table: `resource/action` → { handler, auth, multipart? }.

module.exports = {
	...require('./session'),
	...require('./assets'),
	...require('./incidents'),
	...require('./responses'),
	...require('./comments'),
	...require('./attachments'),
};
