// GraphQL over HTTP, to the letter: the server audits of `graphql-http`, the spec's reference
// implementation, run one by one against the real binary, anonymously as the suite sends
// them. Every audit must pass: a failed MUST (error), SHOULD (warning) or MAY (notice) fails
// its test with the audit's name, the reason and what the server answered.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { startPloyer } from './harness.js';

let ployer;

before(async () => {
	ployer = await startPloyer();
});

after(async () => {
	await ployer?.stop();
});

const audits = serverAudits({ url: () => `${ployer.base}/graphql` });

test('the suite has audits to run', () => {
	assert.ok(audits.length >= 30, `only ${audits.length} audits`);
});

for (const audit of audits) {
	test(`${audit.id} ${audit.name}`, async () => {
		const result = await audit.fn();
		if (result.status === 'ok') return;
		const answer = result.response;
		const body = answer ? await answer.text().catch((err) => `(unreadable: ${err.message})`) : '';
		assert.fail(
			`${result.status}: ${audit.id} ${audit.name}\n  reason: ${result.reason}` +
				(answer ? `\n  answer: ${answer.status} ${answer.headers.get('content-type')} ${body.slice(0, 500)}` : '')
		);
	});
}
