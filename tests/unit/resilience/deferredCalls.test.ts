import { deferredCalls } from '../../../src/resilience/core/deferredCalls';

interface Service {
  log: string[];
}

function setup(limit?: number) {
  const errors: unknown[] = [];
  let waits = 0;
  const calls = deferredCalls<Service>({ onWait: () => void (waits += 1), onError: (error) => errors.push(error), ...(limit === undefined ? {} : { limit }) });
  return { calls, errors, waits: () => waits };
}

describe('deferredCalls (what a lazy facade keeps while its code loads)', () => {
  it('runs and asks made before the load are made on the loaded service in call order, later ones at once', async () => {
    const { calls, waits } = setup();
    calls.run((service) => service.log.push('run 1'));
    const asked = calls.ask((service) => {
      service.log.push('ask 2');
      return service.log.length;
    });
    calls.run((service) => service.log.push('run 3'));
    expect(waits()).toBe(3);
    expect(calls.current()).toBeUndefined();
    const service: Service = { log: [] };
    expect(calls.loaded(service)).toBe(0);
    expect(service.log).toEqual(['run 1', 'ask 2', 'run 3']);
    await expect(asked).resolves.toBe(2);
    calls.run((real) => real.log.push('run 4'));
    expect(service.log).toEqual(['run 1', 'ask 2', 'run 3', 'run 4']);
    expect(waits()).toBe(3);
  });

  it('a failed load rejects the waiting asks with its error and keeps the runs for the next load', async () => {
    const { calls } = setup();
    calls.run((service) => service.log.push('kept'));
    const asked = calls.ask(() => 'never');
    calls.failed(new Error('chunk gone'));
    await expect(asked).rejects.toThrow('chunk gone');
    const service: Service = { log: [] };
    calls.loaded(service);
    expect(service.log).toEqual(['kept']);
  });

  it('an ask whose call throws rejects; a run that throws is reported and the rest are still made', async () => {
    const { calls, errors } = setup();
    calls.run(() => {
      throw new Error('bad run');
    });
    const asked = calls.ask(() => {
      throw new Error('bad ask');
    });
    calls.run((service) => service.log.push('after'));
    const service: Service = { log: [] };
    calls.loaded(service);
    await expect(asked).rejects.toThrow('bad ask');
    expect(errors).toEqual([new Error('bad run')]);
    expect(service.log).toEqual(['after']);
  });

  it('beyond the limit the oldest calls are dropped and counted (a dropped ask rejects)', async () => {
    const { calls } = setup(2);
    const first = calls.ask(() => 'first');
    calls.run((service) => service.log.push('second'));
    calls.run((service) => service.log.push('third'));
    await expect(first).rejects.toThrow(/Dropped/);
    const service: Service = { log: [] };
    expect(calls.loaded(service)).toBe(1);
    expect(service.log).toEqual(['second', 'third']);
  });

  it('a listener is attached on load, not at all when it left before, and detached by the same function after', () => {
    const { calls } = setup();
    const attached: string[] = [];
    const attach = (_service: Service, name: string) => {
      attached.push(name);
      return () => void attached.splice(attached.indexOf(name), 1);
    };
    const stopA = calls.listen('a', attach);
    const stopB = calls.listen('b', attach);
    stopB();
    calls.loaded({ log: [] });
    expect(attached).toEqual(['a']);
    stopA();
    expect(attached).toEqual([]);
  });

  it('after dispose nothing is made: the kept asks reject, later calls are ignored or rejected', async () => {
    const { calls } = setup();
    const asked = calls.ask(() => 'never');
    calls.dispose();
    await expect(asked).rejects.toThrow(/disposed/);
    await expect(calls.ask(() => 'never')).rejects.toThrow(/disposed/);
    const service: Service = { log: [] };
    calls.run((real) => real.log.push('ignored'));
    expect(calls.loaded(service)).toBe(0);
    expect(service.log).toEqual([]);
  });
});
