import { serverSuite } from './support/server-suite';

serverSuite('1');
