import { flushHygieneRecord } from './secrets';

afterAll(() => {
	flushHygieneRecord();
});
