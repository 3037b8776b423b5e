import { cliSuite } from './support/cli-suite';

cliSuite('1');
