/**
 * Writes a numeric CSV (header `id,a,b,c,d`; integers and decimals) of about `megabytes` MB,
 * deterministically for a seed, and returns the exact sum of column `b` (integers) so that every
 * reader's result can be checked. CLI: `tsx bench/csv/generate.ts <file> <megabytes> [seed]`.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

export interface GeneratedCsv {
  file: string;
  bytes: number;
  rows: number;
  sumB: number;
}

export async function generateNumericCsv(
  file: string,
  megabytes: number,
  seed = 1,
): Promise<GeneratedCsv> {
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
  const head = "id,a,b,c,d\n";
  out.write(head);
  let bytes = head.length;
  let rows = 0;
  let sumB = 0;
  while (bytes < target) {
    let chunk = "";
    for (let i = 0; i < 20_000 && bytes + chunk.length < target; i++) {
      const b = (rnd() % 200_001) - 100_000;
      sumB += b;
      rows++;
      chunk += `${rows},${(rnd() % 1_000_000) / 1000},${b},${rnd() % 100_000}.${rnd() % 100},${-(rnd() % 1000) / 7}\n`;
    }
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  return { file, bytes, rows, sumB };
}

if (process.argv[1]?.endsWith("generate.ts")) {
  const [file, mb, seed] = process.argv.slice(2);
  if (!file || !mb) throw new Error("usage: tsx bench/csv/generate.ts <file> <megabytes> [seed]");
  console.log(JSON.stringify(await generateNumericCsv(file, Number(mb), Number(seed ?? 1))));
}
