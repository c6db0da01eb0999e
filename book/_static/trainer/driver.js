// The worker's scheduler, with no worker API in it (so node can test it): it runs one training run
// at a time in short time slices, posts the records of each slice, and drops a run the moment a
// new "start" or a "cancel" arrives (never queued). Protocol: see README.md.

import { createRun } from "./engine.js";

export const FIRST_SLICE_MS = 10;  // the first slice is short, so the first point is plotted at once
export const SLICE_MS = 30;        // then one post per ~30 ms of training: >= 10 redraws a second

/**
 * A driver that answers protocol messages.
 * post(message): send a message to the page; loadData(): a promise of decodeDigitSum's result;
 * schedule(fn): run fn later, after pending messages (setTimeout(fn, 0)); now(): milliseconds.
 */
export function createDriver({ post, loadData, schedule = (fn) => setTimeout(fn, 0), now = () => performance.now() }) {
  let current = null;  // {runId, run}: the one live run
  let data = null;     // promise of the decoded data, loaded once

  const fail = (runId, error) => post({ type: "error", runId, message: error instanceof Error ? error.message : String(error) });
  const getData = () => (data ??= loadData());

  function slice(job, budget) {
    if (current !== job) return;  // cancelled or replaced since this slice was scheduled
    const records = [], started = now();
    try {
      while (!job.run.done && now() - started < budget) {
        const record = job.run.step();
        if (record) records.push(record);
      }
      if (records.length) post({ type: "records", runId: job.runId, records });
      if (job.run.done) {
        current = null;
        post({ type: "done", runId: job.runId, summary: job.run.finish() });
      } else {
        schedule(() => slice(job, SLICE_MS));
      }
    } catch (error) {
      current = null;
      fail(job.runId, error);
    }
  }

  async function start(runId, config) {
    const job = { runId, run: null };
    current = job;
    try {
      const { splits } = await getData();
      if (current !== job) return;
      if (!config || !splits[config.length]) {
        throw new Error(`config.length must be one of ${Object.keys(splits).join(", ")}, got ${JSON.stringify(config && config.length)}`);
      }
      job.run = createRun(config, splits[config.length]);
    } catch (error) {
      if (current === job) current = null;
      fail(runId, error);
      return;
    }
    slice(job, FIRST_SLICE_MS);
  }

  return {
    /** Load the data and post {type: "ready"} (or an error). */
    async init() {
      try {
        await getData();
        post({ type: "ready" });
      } catch (error) {
        fail(null, error);
      }
    },
    /** Handle one message from the page. */
    handle(message) {
      if (message && message.type === "start") start(message.runId, message.config);
      else if (message && message.type === "cancel") current = null;
      else fail(message && message.runId, `unknown message type ${JSON.stringify(message && message.type)}`);
    },
    /** The runId of the run in progress, or null. */
    get running() { return current ? current.runId : null; },
  };
}
