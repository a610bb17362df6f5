/**
 * Handlebars' HTML escaping must never be what makes a value safe in source code: every mustache in a
 * template is a block helper or a call to one of the literal helpers, with an argument.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../src/paths';
import { LITERAL_HELPERS } from '../src/render/helpers';

const BLOCKS = new Set(['each', 'if', 'unless', 'with']);

function templates(): string[] {
  return (readdirSync(TEMPLATES_DIR, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>)
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Returns a description of each mustache that is not `{{helper value}}`. */
function bareMustaches(source: string): string[] {
  const bad: string[] = [];
  const visitor = new Handlebars.Visitor();
  visitor.MustacheStatement = function (node: hbs.AST.MustacheStatement) {
    const name = (node.path as hbs.AST.PathExpression).original;
    if (!(name in LITERAL_HELPERS) || node.params.length !== 1) bad.push(`{{${name}${node.params.length ? ' …' : ''}}} at line ${node.loc.start.line}`);
    if (!node.escaped) bad.push(`triple-stash {{{${name}}}} at line ${node.loc.start.line}`);
    Handlebars.Visitor.prototype.MustacheStatement.call(this, node);
  };
  visitor.BlockStatement = function (node: hbs.AST.BlockStatement) {
    const name = (node.path as hbs.AST.PathExpression).original;
    if (!BLOCKS.has(name)) bad.push(`block {{#${name}}} at line ${node.loc.start.line}`);
    Handlebars.Visitor.prototype.BlockStatement.call(this, node);
  };
  visitor.accept(Handlebars.parse(source));
  return bad;
}

describe('templates', () => {
  const files = templates();

  it('exist for the project and every platform', () => {
    const top = new Set(files.map((f) => path.relative(TEMPLATES_DIR, f).split(path.sep)[0]));
    expect([...top].sort()).toEqual(['android', 'cpp', 'ios', 'project', 'python', 'server', 'web']);
  });

  it.each(files.map((f) => [path.relative(TEMPLATES_DIR, f), f]))('%s routes every value through a literal helper', (_rel, file) => {
    expect(bareMustaches(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the checker itself catches bare values, unknown helpers and triple-stash', () => {
    expect(bareMustaches('a {{name}} b')).toHaveLength(1);
    expect(bareMustaches('{{upper name}}')).toHaveLength(1);
    expect(bareMustaches('{{{js name}}}')).toHaveLength(1);
    expect(bareMustaches('{{#each users}}{{kt address}}{{/each}}')).toEqual([]);
  });
});
