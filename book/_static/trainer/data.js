// The digit-sum splits for the trainer: decode digit_sum.json (written by labkit.js_export).
//
// File format "digit-sum-v1": {"format", "lengths": {"<L>": {"train": "...", "dev": "...", "test": "..."}}}.
// Each split is a space-separated list of 5-digit words "abppn", one per example, in labkit's order:
// the sequence of length L is a, b, then zeros except digit n at position pp (0-based, >= 2);
// the label is a + b. (labkit.data.generate_digit_sum makes exactly such sequences.)

export const FORMAT = "digit-sum-v1";
export const SPLIT_NAMES = ["train", "dev", "test"];

/** One split's words -> {tokens: Int32Array [n * length], labels: Int32Array [n], n, length}. */
export function decodeSplit(text, length, where = "split") {
  const words = text.split(" ");
  const n = words.length, tokens = new Int32Array(n * length), labels = new Int32Array(n);
  words.forEach((word, e) => {
    if (!/^[0-9]{5}$/.test(word)) throw new Error(`${where}: example ${e} is ${JSON.stringify(word)}, not 5 digits "abppn"`);
    const a = +word[0], b = +word[1], position = +word.slice(2, 4), noise = +word[4];
    if (position < 2 || position >= length) {
      throw new Error(`${where}: example ${e} puts its noise digit at position ${position}, outside 2..${length - 1}`);
    }
    tokens[e * length] = a;
    tokens[e * length + 1] = b;
    tokens[e * length + position] = noise;
    labels[e] = a + b;
  });
  return { tokens, labels, n, length };
}

/** The parsed JSON -> {lengths: [5, 10, ...], splits: {L: {train, dev, test}}}. */
export function decodeDigitSum(json) {
  if (!json || json.format !== FORMAT) {
    throw new Error(`digit-sum data: expected format ${JSON.stringify(FORMAT)}, got ${JSON.stringify(json && json.format)}`);
  }
  const splits = {};
  for (const [key, texts] of Object.entries(json.lengths)) {
    const length = Number(key);
    if (!Number.isInteger(length) || length < 3) throw new Error(`digit-sum data: bad length ${JSON.stringify(key)}`);
    splits[length] = {};
    for (const name of SPLIT_NAMES) {
      if (typeof texts[name] !== "string") throw new Error(`digit-sum data: length ${length} has no ${name} split`);
      splits[length][name] = decodeSplit(texts[name], length, `digit-sum data, length ${length}, ${name}`);
    }
  }
  return { lengths: Object.keys(splits).map(Number).sort((a, b) => a - b), splits };
}

/** Fetch and decode the data file at `url` (a URL or string). */
export async function loadDigitSum(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`digit-sum data: ${url} answered ${response.status} ${response.statusText}`);
  return decodeDigitSum(await response.json());
}
