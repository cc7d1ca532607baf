import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runGoTemplate } from './go-template.ts';

const list = {
  items: [
    { metadata: { name: 'a', labels: { app: 'web' } }, spec: { replicas: 2 } },
    { metadata: { name: 'b' }, spec: { replicas: 0 } },
  ],
};

describe('runGoTemplate', () => {
  it('ranges with variables and trims around actions', () => {
    assert.equal(runGoTemplate('{{range $i, $e := .items -}} {{$i}}={{$e.metadata.name}}\n{{- end}}', list), '0=a1=b');
  });
  it('follows if / else if / else chains', () => {
    const template = '{{range .items}}{{if gt .spec.replicas 1}}many{{else if eq .spec.replicas 0}}none{{else}}one{{end}} {{end}}';
    assert.equal(runGoTemplate(template, list), 'many none ');
  });
  it('prints missing keys as <no value> and maps in key order', () => {
    assert.equal(runGoTemplate('{{(index .items 0).metadata.labels}} {{.nope}}', list), 'map[app:web] <no value>');
  });
  it('pipes into functions and formats with printf', () => {
    assert.equal(runGoTemplate('{{.items | len | printf "%d items"}}', list), '2 items');
  });
  it('changes dot with `with` and skips empty values', () => {
    assert.equal(runGoTemplate('{{with (index .items 1).metadata.labels}}x{{else}}no labels{{end}}', list), 'no labels');
  });
  it('reports templates it cannot parse', () => {
    assert.throws(() => runGoTemplate('{{range .items}}', list), /error parsing template/);
  });
});
