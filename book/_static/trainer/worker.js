// The trainer's Web Worker: new Worker(new URL("./worker.js", import.meta.url), {type: "module"}).
// A thin shell over driver.js; the data file is found next to this module. Protocol: README.md.
// Time slices are queued with setTimeout(fn, 0), which lets messages from the page run first
// (a MessageChannel to ourselves is faster in Chromium, but node starves other ports with it).

import { loadDigitSum } from "./data.js";
import { createDriver } from "./driver.js";

const dataUrl = new URL("./digit_sum.json", import.meta.url);
const driver = createDriver({ post: (message) => self.postMessage(message), loadData: () => loadDigitSum(dataUrl) });
self.onmessage = (event) => driver.handle(event.data);
driver.init();
