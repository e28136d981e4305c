// node gen-numeric-csv.mjs <file> <megabytes> [seed]
// Writes a numeric CSV (header id,a,b,c,d; integers and decimals) of about <megabytes> MB and prints
// {"file","bytes","rows","sumB"} as JSON: sumB is the exact sum of column b (integers), so every
// parser's result can be checked. Deterministic for a given seed.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export async function generateNumericCsv(file, megabytes, seed = 1) {
  const target = Math.round(megabytes * 1e6);
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const out = createWriteStream(file);
  let bytes = 0;
  let rows = 0;
  let sumB = 0;
  const head = "id,a,b,c,d\n";
  out.write(head);
  bytes += head.length;
  while (bytes < target) {
    let chunk = "";
    for (let i = 0; i < 20000 && bytes + chunk.length < target; i++) {
      const b = (rnd() % 200001) - 100000;
      sumB += b;
      rows++;
      chunk += `${rows},${(rnd() % 1000000) / 1000},${b},${rnd() % 100000}.${rnd() % 100},${-(rnd() % 1000) / 7}\n`;
    }
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { file, bytes, rows, sumB };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, mb, seed] = process.argv.slice(2);
  console.log(JSON.stringify(await generateNumericCsv(file, Number(mb), Number(seed ?? 1))));
}
