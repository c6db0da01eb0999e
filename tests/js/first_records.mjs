// Milliseconds from a "start" message to the driver's first "records" message (for the benchmark).
// Prints {"cold": ms of the first run in this fresh VM, "warm": ms of a later run} as JSON.
import fs from "node:fs";
import { decodeDigitSum } from "../../book/_static/trainer/data.js";
import { createDriver } from "../../book/_static/trainer/driver.js";

const dataUrl = new URL("../../book/_static/trainer/digit_sum.json", import.meta.url);
const config = { length: 20, lr: 0.2, maxNorm: 20, steps: 250 };

let waiting = null;  // resolves with the time of the next records message
const driver = createDriver({
  post: (message) => {
    if (message.type === "records" && waiting) { waiting(performance.now()); waiting = null; }
    if (message.type === "error") throw new Error(message.message);
  },
  loadData: async () => decodeDigitSum(JSON.parse(fs.readFileSync(dataUrl, "utf-8"))),
});
await driver.init();

async function firstRecords(runId) {
  const arrived = new Promise((resolve) => { waiting = resolve; });
  const sent = performance.now();
  driver.handle({ type: "start", runId, config });
  const ms = (await arrived) - sent;
  driver.handle({ type: "cancel" });
  return ms;
}

const cold = await firstRecords(1);
for (let runId = 2; runId < 5; runId++) await firstRecords(runId);
const warm = await firstRecords(5);
console.log(JSON.stringify({ cold, warm }));
