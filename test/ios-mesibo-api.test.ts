/**
 * The iOS starter speaks mesibo's real API, and in Swift 6 terms safely:
 * - every mesibo name it uses is declared in test/doubles/ios/MesiboAPI.swift with the same argument labels,
 *   in mesibo's documented order (instance, listener, token, database, start);
 * - every declaration of that double is what Swift imports from mesibo's real Objective-C header at the
 *   pinned version (mesibo/mesiboframeworks), and mesibo's own Swift sample calls them the same way;
 * - the delegate callbacks, which mesibo makes on its own threads, are nonisolated, touch the model only in
 *   a `Task { @MainActor in … }`, and hand it plain values, never the (non-Sendable) MesiboMessage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { outlineSwift, parseSwiftTree } from './support/ios';
import { importObjCHeader, mesiboMirrorFile, swiftDeclarations } from './support/ios-objc';
import { iosFixture } from './support/ios-fixture';

const DOUBLE = path.resolve(import.meta.dirname, 'doubles/ios/MesiboAPI.swift');
/** mesibo's Swift sample app, at the commit read (mesibo/samples, 2026-02). */
const SAMPLE = { repo: 'samples', rev: '07c08365db150571f40afe9199aaaa2cea31f895', file: 'ios/Swift/FirstAppSwift/FirstAppSwift/ViewController.swift' };
const header = mesiboMirrorFile('mesiboframeworks', `v${SDK_VERSIONS.ios.mesibo}`, 'mesibo.framework/Headers/Mesibo.h');
const sample = mesiboMirrorFile(SAMPLE.repo, SAMPLE.rev, SAMPLE.file);

async function model(): Promise<string> {
  const f = await iosFixture({ users: ['123', '456', '789'] });
  return readFileSync(path.join(f.app, 'ChatModel.swift'), 'utf8');
}

describe('ios starter and mesibo API', () => {
  it('uses only the API in test/doubles/ios, with the exact Swift names of the delegate callbacks', async () => {
    const api = await outlineSwift(readFileSync(DOUBLE, 'utf8'));
    const source = await model();
    const starter = await outlineSwift(source);
    expect(source).toMatch(/^@MainActor\n@Observable\nfinal class ChatModel: NSObject \{$/m);
    expect(source).toMatch(/^extension ChatModel: MesiboDelegate \{$/m);
    // Optional requirements of an Objective-C protocol: a wrong label compiles, and mesibo never calls it.
    const delegate = api.functions.filter((fn) => fn.owner === 'MesiboDelegate').map((fn) => fn.signature);
    const callbacks = starter.functions.filter((fn) => fn.signature.startsWith('Mesibo_')).map((fn) => fn.signature);
    expect(callbacks).toEqual(['Mesibo_onConnectionStatus(status:)', 'Mesibo_onMessage(message:)']);
    expect(delegate).toEqual(expect.arrayContaining(callbacks));
    for (const id of [...starter.identifiers].filter((i) => /^(Mesibo|MESIBO_)/.test(i))) {
      expect(api.names.has(id) || callbacks.some((c) => c.startsWith(`${id}(`)), id).toBe(true);
    }
    const members = new Map(api.functions.filter((fn) => fn.owner !== 'MesiboDelegate').map((fn) => [fn.signature.split('(')[0]!, fn.signature]));
    const mesiboCalls = starter.calls.filter((c) => members.has(c.signature.split('(')[0]!));
    for (const call of mesiboCalls) expect(call.signature).toBe(members.get(call.signature.split('(')[0]!));
    const callsIn = (fn: string) => mesiboCalls.filter((c) => c.inFunction.startsWith(`${fn}(`)).map((c) => c.signature);
    expect(callsIn('logIn')).toEqual(['getInstance()', 'addListener(_:)', 'setAccessToken(_:)', 'setDatabase(_:)', 'start()']);
    expect(callsIn('send')).toEqual(['getInstance()', 'getProfile(_:groupid:)', 'newMessage()', 'send()']);
    // Plain (not rich) messages carry their text only in `data` (mesibo/samples python/mesibo-demo.py reads both).
    expect(callsIn('text')).toEqual(['isRichMessage()']);
    expect(source).toMatch(/message\.data\.flatMap \{ String\(data: \$0, encoding: \.utf8\) \}/);
  });

  it('hands each delegate callback to the main actor as plain values', async () => {
    const source = await model();
    expect(source).not.toMatch(/DispatchQueue|assumeIsolated/);
    const report = await parseSwiftTree(source, (root) => {
      const out: Array<{ name: string; nonisolated: boolean; outsideTask: string[]; insideTask: string[]; tasks: string[] }> = [];
      for (const fn of root.descendantsOfType('function_declaration')) {
        const name = fn!.childForFieldName('name')!.text;
        if (!name.startsWith('Mesibo_')) continue;
        const nonisolated = fn!.namedChildren.some((c) => c?.type === 'modifiers' && /\bnonisolated\b/.test(c.text));
        const tasks = fn!.descendantsOfType('call_expression').filter((c) => c!.namedChild(0)?.text === 'Task').map((c) => c!.namedChild(1)!.namedChildren.find((n) => n?.type === 'lambda_literal')!);
        const inTask = (n: Node) => tasks.some((t) => n.startIndex >= t.startIndex && n.endIndex <= t.endIndex);
        const selves = fn!.descendantsOfType('self_expression');
        const params = fn!.namedChildren.filter((c) => c?.type === 'parameter').map((p) => p!.childForFieldName('name')!.text);
        const uses = fn!.descendantsOfType('simple_identifier').filter((id) => params.includes(id!.text) && id!.parent?.type !== 'parameter' && id!.parent?.type !== 'value_argument_label');
        out.push({
          name,
          nonisolated,
          outsideTask: selves.filter((s) => !inTask(s!)).map((s) => s!.parent!.text),
          insideTask: uses.filter((u) => inTask(u!)).map((u) => u!.text),
          tasks: tasks.map((t) => t.text.replace(/\s+/g, ' ').slice(0, 16)),
        });
      }
      return out;
    });
    expect(report.map((r) => r.name)).toEqual(['Mesibo_onConnectionStatus', 'Mesibo_onMessage']);
    for (const r of report) {
      expect(r.nonisolated, r.name).toBe(true);
      expect(r.tasks, r.name).toEqual(['{ @MainActor in ']);
      expect(r.outsideTask, `${r.name} touches the model off the main actor`).toEqual([]);
    }
    // The status is an Int (Sendable) and goes as it is; the message never crosses: only strings made from it.
    expect(report[0]!.insideTask).toEqual(['status']);
    expect(report[1]!.insideTask).toEqual([]);
  });
});

describe.skipIf(header.skip)(`test/doubles/ios against mesibo's real header ${header.reason}`, () => {
  it(`declares only what Swift imports from Mesibo.h at v${SDK_VERSIONS.ios.mesibo}, with the same signatures`, async () => {
    const imported = importObjCHeader(header.text!);
    const declared = await swiftDeclarations(readFileSync(DOUBLE, 'utf8'));
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((d) => !imported.has(d))).toEqual([]);
    // The importer itself: a wrong label, type or optionality is not among the imports.
    for (const wrong of ['func Mesibo.getProfile(_: String, groupid: UInt32) -> MesiboProfile', 'optional func MesiboDelegate.Mesibo_onConnectionStatus(status: Int32)', 'let MESIBO_STATUS_SUSPENDED: Int32 = 10', 'func Mesibo.setDatabase(_: String?, resetTables: UInt32) -> Bool', 'func MesiboProfile.getNameOrAddress(_: String?) -> String']) {
      expect(imported.has(wrong), wrong).toBe(false);
    }
  });

  it.skipIf(sample.skip)(`matches how mesibo's own Swift sample calls and implements the same API ${sample.reason}`, async () => {
    const api = await outlineSwift(readFileSync(DOUBLE, 'utf8'));
    const used = await outlineSwift(sample.text!);
    const declared = new Map(api.functions.map((fn) => [fn.signature.split('(')[0]!, fn.signature]));
    // `MesiboCall.start(with:name:icon:callKit:)` is mesibo's calls module, not the core API of the double.
    const calls = used.calls.filter((c) => declared.has(c.signature.split('(')[0]!) && c.signature !== 'start(with:name:icon:callKit:)');
    expect(new Set(calls.map((c) => c.signature.split('(')[0]))).toEqual(new Set(['getInstance', 'addListener', 'setAccessToken', 'setDatabase', 'start', 'getProfile', 'newMessage', 'send', 'isIncoming']));
    for (const call of calls) expect(call.signature).toBe(declared.get(call.signature.split('(')[0]!));
    const implemented = used.functions.filter((fn) => fn.signature.startsWith('Mesibo_on')).map((fn) => fn.signature);
    expect(implemented.length).toBeGreaterThan(2);
    for (const fn of implemented) if (declared.has(fn.split('(')[0]!)) expect(fn).toBe(declared.get(fn.split('(')[0]!));
  });
});
