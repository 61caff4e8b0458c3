import { describe, expect, it } from 'vitest';
import type { ClientFrame, ServerFrame } from '../../../src/protocol/socket';
import type { OpenSocket, SocketHandlers } from '../../../src/app/services/browserSocket';
import { createTutorConnection } from '../../../src/app/services/tutorConnection';
import type { TutorReply } from '../../../src/app/services/types';

/** A socket the test plays the server side of. */
function fakeSockets() {
  const opened: { url: string; handlers: SocketHandlers; sent: ClientFrame[]; closed: boolean }[] = [];
  const openSocket: OpenSocket = (url, handlers) => {
    const socket = { url, handlers, sent: [] as ClientFrame[], closed: false };
    opened.push(socket);
    return {
      send: (data) => socket.sent.push(JSON.parse(data) as ClientFrame),
      close: () => {
        socket.closed = true;
      },
    };
  };
  const last = () => {
    const socket = opened.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  };
  const serverSends = (frame: ServerFrame | string) =>
    last().handlers.message(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return { opened, openSocket, last, serverSends };
}

function setup() {
  const sockets = fakeSockets();
  let n = 0;
  const tutor = createTutorConnection({
    url: 'ws://test/ws/tutor?session=s1',
    session: 's1',
    openSocket: sockets.openSocket,
    createId: () => `ask-${++n}`,
  });
  return { tutor, ...sockets };
}

function ask(tutor: ReturnType<typeof setup>['tutor'], text: string) {
  const tokens: string[] = [];
  const outcome: { reply?: TutorReply; error?: unknown } = {};
  tutor.ask('fractions', text, (token) => tokens.push(token)).then(
    (reply) => (outcome.reply = reply),
    (error: unknown) => (outcome.error = error),
  );
  return { tokens, outcome };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the simple tutor connection', () => {
  it('connects on the first ask, says hello, and sends the ask only after welcome', () => {
    const { tutor, opened, last } = setup();
    expect(opened).toHaveLength(0);

    ask(tutor, 'Why?');
    last().handlers.open();
    expect(last().sent).toEqual([{ t: 'hello', session: 's1', lastSeq: 0 }]);

    last().handlers.message(JSON.stringify({ t: 'welcome', session: 's1', seq: 0 }));
    expect(last().sent[1]).toEqual({ t: 'ask', id: 'ask-1', lessonId: 'fractions', text: 'Why?' });
  });

  it('streams tokens to their ask in order and resolves with the whole reply on done', async () => {
    const { tutor, last, serverSends } = setup();
    const { tokens, outcome } = ask(tutor, 'Why?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });

    serverSends({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'Because ' });
    serverSends({ t: 'token', seq: 2, replyTo: 'ask-1', text: 'halves.' });
    serverSends({ t: 'done', seq: 3, replyTo: 'ask-1' });
    await flush();

    expect(tokens).toEqual(['Because ', 'halves.']);
    expect(outcome.reply).toEqual({ replyTo: 'ask-1', text: 'Because halves.', source: 'live' });
  });

  it('ignores re-sent frames with a seq it has already applied', async () => {
    const { tutor, last, serverSends } = setup();
    const { tokens, outcome } = ask(tutor, 'Why?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });

    serverSends({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'A' });
    serverSends({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'A' });
    serverSends({ t: 'token', seq: 2, replyTo: 'ask-1', text: 'B' });
    serverSends({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'A' });
    serverSends({ t: 'done', seq: 3, replyTo: 'ask-1' });
    await flush();

    expect(tokens).toEqual(['A', 'B']);
    expect(outcome.reply?.text).toBe('AB');
  });

  it('keeps concurrent replies apart by replyTo', async () => {
    const { tutor, last, serverSends } = setup();
    const first = ask(tutor, 'One?');
    const second = ask(tutor, 'Two?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });

    serverSends({ t: 'token', seq: 1, replyTo: 'ask-2', text: 'two' });
    serverSends({ t: 'token', seq: 2, replyTo: 'ask-1', text: 'one' });
    serverSends({ t: 'done', seq: 3, replyTo: 'ask-1' });
    serverSends({ t: 'done', seq: 4, replyTo: 'ask-2' });
    await flush();

    expect(first.outcome.reply?.text).toBe('one');
    expect(second.outcome.reply?.text).toBe('two');
  });

  it('drops malformed frames without failing the ask, and answers pings', async () => {
    const { tutor, last, serverSends } = setup();
    const { outcome } = ask(tutor, 'Why?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });

    serverSends('not json');
    serverSends(JSON.stringify({ t: 'token', seq: 'x', replyTo: 'ask-1', text: 'bad' }));
    serverSends({ t: 'ping', ts: 42 });
    serverSends({ t: 'token', seq: 1, replyTo: 'ask-1', text: 'ok' });
    serverSends({ t: 'done', seq: 2, replyTo: 'ask-1' });
    await flush();

    expect(last().sent).toContainEqual({ t: 'pong', ts: 42 });
    expect(outcome.reply?.text).toBe('ok');
  });

  it('fails the ask the server reports an error for', async () => {
    const { tutor, last, serverSends } = setup();
    const { outcome } = ask(tutor, 'Why?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });

    serverSends({ t: 'error', seq: 1, replyTo: 'ask-1', code: 'BAD_ASK', message: 'lesson unknown' });
    await flush();

    expect(outcome.error).toMatchObject({ code: 'UNKNOWN' });
  });

  it('a closed socket fails what was in flight, and the next ask reconnects resuming from lastSeq', async () => {
    const { tutor, opened, last, serverSends } = setup();
    const { outcome } = ask(tutor, 'Why?');
    last().handlers.open();
    serverSends({ t: 'welcome', session: 's1', seq: 0 });
    serverSends({ t: 'token', seq: 5, replyTo: 'ask-1', text: 'Be' });

    last().handlers.close();
    await flush();
    expect(outcome.error).toMatchObject({ code: 'SOCKET_CLOSED' });

    ask(tutor, 'Again?');
    expect(opened).toHaveLength(2);
    last().handlers.open();
    expect(last().sent).toEqual([{ t: 'hello', session: 's1', lastSeq: 5 }]);
  });

  it('close() closes the socket and rejects unfinished asks', async () => {
    const { tutor, last } = setup();
    const { outcome } = ask(tutor, 'Why?');

    tutor.close();
    await flush();

    expect(last().closed).toBe(true);
    expect(outcome.error).toMatchObject({ code: 'ABORTED' });
  });
});
