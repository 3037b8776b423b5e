'use strict';

const { notFound } = require('../errors');
const { checkBody } = require('../validate');
const q = require('../query');
const f = require('../filters');
const { json } = require('./answers');

function filtered({ body, config, store }, extra) {
	const sort = q.parseSort(body.sort, config.defaultAssetSort, q.ASSET_SORT_FIELDS);
	return {
		sorted: store.sortedAssets(sort),
		predicate: f.assetPredicate(body, store.relatedAssetIds),
		...extra,
	};
}

function count(ctx) {
	checkBody(ctx.body, f.ASSET_FILTERS, { rejectUnknown: ctx.rejectUnknown });
	const { sorted, predicate } = filtered({ ...ctx, body: { ...ctx.body, sort: undefined } });
	return json({ count: q.countOf(sorted, predicate) });
}

function list(ctx) {
	const { body, config } = ctx;
	checkBody(body, { ...f.ASSET_FILTERS, ...q.LIST_PARAMS }, { rejectUnknown: ctx.rejectUnknown });
	const { page, pageSize } = q.resolvePaging(body, config);
	const { sorted, predicate } = filtered(ctx);
	return json(q.pageOf(sorted, predicate, page, pageSize).map((a) => q.project(a, body.fields)));
}

function details({ body, store, rejectUnknown }) {
	checkBody(body, { asset_id: 'string!', fields: 'string[]', version: 'int' }, { rejectUnknown });
	const asset = store.getAsset(body.asset_id);
	if (!asset) throw notFound(`Asset ${body.asset_id} not found`);
	return json(q.project(asset, body.fields));
}

module.exports = {
	'assets/count': { handler: count, auth: true },
	'assets/list': { handler: list, auth: true },
	'assets/details': { handler: details, auth: true },
};
