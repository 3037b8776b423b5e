import { queueSuite } from './support/queue-suite';

queueSuite('2');
