import { describe, expect, it } from 'vitest';
import { parseJsonStream } from '../../../src/driver/json-stream.js';

describe('parseJsonStream', () => {
  it('splits documents printed back to back, with or without whitespace between', () => {
    expect(parseJsonStream('[1][2]{"a":3}')).toEqual([[1], [2], { a: 3 }]);
    expect(parseJsonStream('[{"x":[1,{"y":[]}]}]\n[]\n\n  [ ]\n')).toEqual([[{ x: [1, { y: [] }] }], [], []]);
  });

  it('keeps empty arrays as documents', () => {
    expect(parseJsonStream('[]\n[]\n[]\n[]\n')).toEqual([[], [], [], []]);
    expect(parseJsonStream('[][{}][]')).toEqual([[], [{}], []]);
  });

  it('ignores brackets and escaped quotes inside strings', () => {
    const docs = [[{ ifalias: 'a]b[c{d}' }], [{ ifalias: 'say "]" then \\' }], ['\\"', '"[', ']"', '\\\\']];
    expect(parseJsonStream(docs.map((d) => JSON.stringify(d)).join(''))).toEqual(docs);
    expect(parseJsonStream('[{"a":"\\\\"}][{"b":"\\"]"}]')).toEqual([[{ a: '\\' }], [{ b: '"]' }]]);
    expect(parseJsonStream('[{"u":"\\u005d"}]')).toEqual([[{ u: ']' }]]);
  });

  it('nothing printed is no documents', () => {
    expect(parseJsonStream('')).toEqual([]);
    expect(parseJsonStream('\n')).toEqual([]);
  });

  it('output cut short or unbalanced is an error', () => {
    expect(() => parseJsonStream('[1][2')).toThrow(/ends inside a document \(1 complete\)/);
    expect(() => parseJsonStream('[{"a":"x]')).toThrow(/ends inside a document/);
    expect(() => parseJsonStream('[1]]')).toThrow(/unbalanced/);
    expect(() => parseJsonStream('[1,]')).toThrow(SyntaxError);
  });
});
