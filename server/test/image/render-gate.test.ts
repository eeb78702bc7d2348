import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { RenderGate } from '../../src/image/render-gate.js';

/** A task that runs until `finish` is called; `started` tells whether it ever began. */
function controllable() {
  let finish!: () => void;
  const state = { started: false };
  const done = new Promise<void>((resolve) => (finish = resolve));
  const task = async () => {
    state.started = true;
    await done;
    return 'ok';
  };
  return { task, state, finish: () => finish() };
}

describe('RenderGate', () => {
  it('runs `concurrency` renders, queues `queue` more, and refuses the next with 503 and Retry-After', async () => {
    const gate = new RenderGate({ concurrency: 2, queue: 1, timeoutMs: 5000 });
    const tasks = [controllable(), controllable(), controllable()];
    const results = tasks.map((t) => gate.run(t.task));
    await Promise.resolve();
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, false]);

    const refused = gate.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(refused).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '1' } });

    for (const t of tasks) t.finish();
    await expect(Promise.all(results)).resolves.toEqual(['ok', 'ok', 'ok']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('fails a render past its budget with 503, but keeps its slot until it has really stopped', async () => {
    const gate = new RenderGate({ concurrency: 1, queue: 1, timeoutMs: 50 });
    const slow = controllable();
    const first = gate.run(slow.task);
    await expect(first).rejects.toMatchObject({ status: 503 });
    expect(gate.load.running).toBe(1);
    slow.finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(gate.load.running).toBe(0);
  });

  it('drops a queued render whose budget ran out before it could start', async () => {
    const gate = new RenderGate({ concurrency: 1, queue: 1, timeoutMs: 50 });
    const blocker = controllable();
    const queued = controllable();
    const a = expect(gate.run(blocker.task)).rejects.toMatchObject({ status: 503 });
    const b = expect(gate.run(queued.task)).rejects.toMatchObject({ status: 503 });
    await Promise.all([a, b]);
    blocker.finish();
    await new Promise((r) => setTimeout(r, 10));
    expect(queued.state.started).toBe(false);
  });

  it('tells a task how long it may still run', async () => {
    const gate = new RenderGate({ concurrency: 1, queue: 0, timeoutMs: 1000 });
    const left = await gate.run(async (msLeft) => msLeft);
    expect(left).toBeGreaterThan(900);
    expect(left).toBeLessThanOrEqual(1000);
  });

  it('passes a failing task’s own error through', async () => {
    const gate = new RenderGate({ concurrency: 1, queue: 0, timeoutMs: 1000 });
    await expect(gate.run(async () => Promise.reject(new Error('decoder said no')))).rejects.toThrow('decoder said no');
  });
});
