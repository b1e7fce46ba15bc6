import { createSseParser, type SseMessage } from './sse-reader';

describe('the server-sent events parser', () => {
  it('parses events split across chunks anywhere, with ids, names, multi-line data and comments', () => {
    const messages: SseMessage[] = [];
    const parse = createSseParser((message) => messages.push(message));
    const stream = ': keep-alive\n\nid: 7\nevent: snapshot\ndata: {"runs":\ndata: []}\n\nid: 8\r\nevent: run-status\r\ndata: {"a":1}\r\n\r\n';
    for (let index = 0; index < stream.length; index += 5) parse(stream.slice(index, index + 5));
    expect(messages).toEqual([
      { id: '7', event: 'snapshot', data: '{"runs":\n[]}' },
      { id: '8', event: 'run-status', data: '{"a":1}' },
    ]);
  });

  it('emits nothing for an event that has not ended yet', () => {
    const messages: SseMessage[] = [];
    createSseParser((message) => messages.push(message))('id: 1\nevent: run-status\ndata: {}\n');
    expect(messages).toEqual([]);
  });
});
