import { editorSuite } from './support/editor-suite';

editorSuite('2');
