import { readDevPingIntervalMs } from '../../../src/app/resilience/devTools';
import { pageHealingConfig, tutorSessionId, tutorSocketConfig } from '../../../src/app/resilience/tutorSocketSetup';
import { memoryStorage } from '../../../src/resilience';

const page = (href: string) => ({ href, sessionStorage: memoryStorage() });

describe('the tutor socket of a student', () => {
  it('uses ws: next to an http page and wss: next to an https page, with the session in the URL', () => {
    const plain = tutorSocketConfig({ studentId: 'ada', page: page('http://127.0.0.1:8787/#/lessons/fractions') });
    expect(plain.url).toBe(`ws://127.0.0.1:8787/ws/tutor?session=${plain.session}`);
    const secure = tutorSocketConfig({ studentId: 'ada', page: page('https://tutor.example/app/') });
    expect(secure.url).toMatch(/^wss:\/\/tutor\.example\/ws\/tutor\?session=[\w-]+$/);
  });

  it('keeps one session per student in this tab (a reload resumes it), another for another student', () => {
    const storage = memoryStorage();
    const ada = tutorSessionId(storage, 'ada');
    expect(tutorSessionId(storage, 'ada')).toBe(ada);
    expect(tutorSessionId(storage, 'grace')).not.toBe(ada);
    expect(tutorSessionId(memoryStorage(), 'ada')).not.toBe(ada); // another tab
  });

  it('replaces a stored session id the server would refuse, and works without storage', () => {
    const storage = memoryStorage();
    storage.setItem('tutor.socketSession.ada', 'not a valid id!');
    expect(tutorSessionId(storage, 'ada', () => 'fresh-1')).toBe('fresh-1');
    expect(tutorSessionId(null, 'ada', () => 'fresh-2')).toBe('fresh-2');
  });

  it('honours a dev ping interval only when dev tools are allowed, within bounds', () => {
    const storage = memoryStorage();
    storage.setItem('tutor.dev.pingIntervalMs', '500');
    expect(readDevPingIntervalMs(storage, true)).toBe(500);
    expect(readDevPingIntervalMs(storage, false)).toBeUndefined();
    storage.setItem('tutor.dev.pingIntervalMs', '5');
    expect(readDevPingIntervalMs(storage, true)).toBeUndefined();
    const config = tutorSocketConfig({ studentId: 'ada', page: page('http://x.test/'), pingIntervalMs: 500 });
    expect(config.pingIntervalMs).toBe(500);
  });

  it('heals chunk failures with a page reload guarded in sessionStorage, watching the page for chunk errors', () => {
    const reload = vi.fn();
    const source = { addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const sessionStorage = memoryStorage();
    const healing = pageHealingConfig({ href: 'http://x.test/', reload, chunkErrorSource: source, sessionStorage });
    healing.reload?.();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(healing.sessionStorage).toBe(sessionStorage);
    expect(healing.chunkErrorSource).toBe(source);
  });
});
