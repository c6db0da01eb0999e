// The worker's protocol, through driver.js (worker.js only wires it to postMessage): node --test.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { decodeDigitSum } from "../../book/_static/trainer/data.js";
import { createDriver, FIRST_SLICE_MS, SLICE_MS } from "../../book/_static/trainer/driver.js";

const dataUrl = new URL("../../book/_static/trainer/digit_sum.json", import.meta.url);
const loadData = async () => decodeDigitSum(JSON.parse(fs.readFileSync(dataUrl, "utf-8")));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A driver whose posts are collected; `until(predicate)` waits for a matching message. */
function harness(options = {}) {
  const messages = [];
  let waiters = [];
  const post = (message) => {
    messages.push(message);
    waiters = waiters.filter(({ predicate, resolve }) => !(predicate(message) && (resolve(message), true)));
  };
  const driver = createDriver({ post, loadData, ...options });
  const until = (predicate) => {
    const found = messages.find(predicate);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ predicate, resolve }));
  };
  return { driver, messages, until };
}

test("a run streams its records in order, then posts done with labkit's summary fields", async () => {
  const { driver, messages, until } = harness();
  await driver.init();
  assert.deepEqual(messages[0], { type: "ready" });
  driver.handle({ type: "start", runId: "a", config: { length: 5, steps: 25, evalSteps: 10 } });
  const done = await until((m) => m.type === "done");
  const records = messages.filter((m) => m.type === "records").flatMap((m) => m.records);
  assert.deepEqual(records.map((r) => r.step), Array.from({ length: 25 }, (_, i) => i + 1));
  assert.ok(messages.every((m) => m.type === "ready" || m.runId === "a"));
  assert.deepEqual(Object.keys(done.summary).sort(), ["bestDev", "bestStep", "divergedAt", "steps", "testAccuracy"]);
  assert.equal(driver.running, null);
});

test("a new start drops the running run at once; cancel drops it too; nothing is queued", async () => {
  const { driver, messages, until } = harness();
  driver.handle({ type: "start", runId: 1, config: { length: 20, steps: 5000 } });
  await until((m) => m.type === "records" && m.runId === 1);
  driver.handle({ type: "start", runId: 2, config: { length: 20, steps: 5000 } });
  const switched = messages.length;
  await until((m) => m.type === "records" && m.runId === 2);
  driver.handle({ type: "cancel" });
  const cancelled = messages.length;
  await sleep(3 * SLICE_MS);
  assert.ok(messages.slice(switched).every((m) => m.runId === 2), "run 1 posted after run 2 started");
  assert.equal(messages.length, cancelled, "the cancelled run went on posting");
  assert.equal(driver.running, null);
});

test("records come in time slices: a short first slice, then about every SLICE_MS", async () => {
  assert.ok(FIRST_SLICE_MS <= 20 && SLICE_MS <= 50, "the page must get records at least every ~50 ms");
  let clock = 0;  // a fake clock: every reading advances it by 3 ms, as if a step took 3 ms
  const { driver, messages, until } = harness({ now: () => (clock += 3) });
  driver.handle({ type: "start", runId: 7, config: { length: 5, steps: 60 } });
  await until((m) => m.type === "done");
  const sizes = messages.filter((m) => m.type === "records").map((m) => m.records.length);
  assert.ok(sizes[0] <= Math.ceil(FIRST_SLICE_MS / 3), `first slice: ${sizes[0]} records`);
  assert.ok(sizes.every((n) => n >= 1 && n <= Math.ceil(SLICE_MS / 3)), `slices: ${sizes}`);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 60);
});

test("a bad config or an unknown message answers with an error naming it; a diverged run reports it", async () => {
  const { driver, until } = harness();
  driver.handle({ type: "start", runId: 3, config: { length: 5, lr: -1 } });
  assert.match((await until((m) => m.type === "error" && m.runId === 3)).message, /lr must be a number > 0/);
  driver.handle({ type: "start", runId: 4, config: { length: 6 } });
  assert.match((await until((m) => m.type === "error" && m.runId === 4)).message, /config.length must be one of 5, 10/);
  driver.handle({ type: "train", runId: 5 });
  assert.match((await until((m) => m.type === "error" && m.runId === 5)).message, /unknown message type "train"/);
  driver.handle({ type: "start", runId: 6, config: { length: 5, lr: 1e300, steps: 40 } });
  assert.equal((await until((m) => m.type === "done" && m.runId === 6)).summary.divergedAt, 2);
});

test("a data file that cannot load is an error, not a hang", async () => {
  const { driver, until } = harness({ loadData: async () => { throw new Error("digit_sum.json answered 404"); } });
  driver.init();
  assert.match((await until((m) => m.type === "error" && m.runId === null)).message, /404/);
  driver.handle({ type: "start", runId: 8, config: { length: 5 } });
  assert.match((await until((m) => m.type === "error" && m.runId === 8)).message, /404/);
});
