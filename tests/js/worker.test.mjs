// worker.js itself, in a node worker thread dressed as a Web Worker (`self`, `fetch` of a file URL).
// The browser test of the Explore page drives it in Chromium; this checks the wiring and that a
// cancel sent mid-run is seen between time slices (queued through a MessageChannel).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";

const workerUrl = new URL("../../book/_static/trainer/worker.js", import.meta.url);
const shim = `
  const { parentPort } = require("node:worker_threads");
  const fs = require("node:fs");
  globalThis.self = globalThis;
  globalThis.postMessage = (message) => parentPort.postMessage(message);
  parentPort.on("message", (data) => globalThis.onmessage({ data }));
  globalThis.fetch = async (url) => {
    const text = fs.readFileSync(new URL(url), "utf-8");
    return { ok: true, json: async () => JSON.parse(text) };
  };
  import(${JSON.stringify(workerUrl.href)});
`;

test("the worker posts ready, streams a run, and a new start or a cancel stops the old run at once", async () => {
  const worker = new Worker(shim, { eval: true });
  const messages = [];
  const until = (predicate) => new Promise((resolve) => {
    const check = (message) => { if (predicate(message)) { worker.off("message", check); resolve(message); } };
    worker.on("message", check);
  });
  worker.on("message", (message) => messages.push(message));
  try {
    await until((m) => m.type === "ready");
    worker.postMessage({ type: "start", runId: 1, config: { length: 35, steps: 100000 } });  // minutes of work
    let slices = 0;
    await until((m) => m.type === "records" && m.runId === 1 && ++slices === 3);  // well into the run
    const sent = performance.now();
    worker.postMessage({ type: "start", runId: 2, config: { length: 5, steps: 30 } });
    const done = await until((m) => m.type === "done");
    assert.equal(done.runId, 2);
    assert.ok(performance.now() - sent < 5000, "the new start waited for the old run");
    const afterSwitch = messages.slice(messages.findIndex((m) => m.runId === 2));
    assert.ok(afterSwitch.every((m) => m.runId === 2), "run 1 kept posting after run 2 started");
    const steps = afterSwitch.filter((m) => m.type === "records").flatMap((m) => m.records.map((r) => r.step));
    assert.deepEqual(steps, Array.from({ length: 30 }, (_, i) => i + 1));
    worker.postMessage({ type: "start", runId: 3, config: { length: 20, steps: 5000 } });
    await until((m) => m.type === "records" && m.runId === 3);
    worker.postMessage({ type: "cancel" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const count = messages.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(messages.length, count, "the cancelled run went on posting");
  } finally {
    await worker.terminate();
  }
});
