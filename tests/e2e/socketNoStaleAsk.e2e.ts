import {
  askTutor,
  completedReply,
  connectionBanner,
  openLesson,
  setDevSetting,
  signIn,
  startWorld,
  waitFor,
  waitForText,
  type E2EWorld,
} from '../helpers/e2e';

describe('a live ask handed over to a fallback is cancelled (Chromium)', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('after the simplified tutor answered, the reconnecting socket sends the server no old ask', async () => {
    const { page, server } = world;
    await setDevSetting(page, server.url, 'tutor.dev.pingIntervalMs', '1000'); // stale after 2 s of silence
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await waitFor(() => server.stats(), (stats) => stats.socket.open >= 1, 'the tutor socket to open');
    await waitForText(connectionBanner(page), /^$/);

    // The socket goes half-open: the ask is sent into the silence, nothing comes back for 4 s, the chain answers.
    await server.chaos({ socket: { silent: true } });
    const reply = await completedReply(await askTutor(page, 'Can I have a hint for exercise 2?'), 30_000);
    expect(reply).toMatch(/\(simplified tutor\)$/);
    const before = await server.stats();
    expect(before.socket.asksReceived).toBe(0); // the live ask was lost in the silence

    // The server speaks again: the socket reconnects and resumes, and must not bring the answered ask back.
    await server.chaos({ socket: { silent: false } });
    await waitFor(() => server.stats(), (stats) => stats.socket.total > before.socket.total && stats.socket.open >= 1, 'the socket to reconnect', 20_000);
    await waitForText(connectionBanner(page), /^(?!Reconnecting)/, 10_000); // welcomed (limited mode may still show)
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for a re-sent ask to arrive
    const after = await server.stats();
    expect(after.socket.asksReceived).toBe(0);
    expect(after.tutor.repliesComputed).toBe(before.tutor.repliesComputed);
  });
});
