// Browser checks (tooling/browser-check bundles the main entry with vite and runs these in Chromium).
import {
  chunks,
  filter,
  fromWeb,
  map,
  mapConcurrent,
  parseCsv,
  pipe,
  reduce,
  take,
  toArray,
  toWeb,
} from "@heapwise/stream";

function* naturals(closed: { done: boolean }) {
  try {
    for (let i = 0; ; i++) yield i;
  } finally {
    closed.done = true;
  }
}

export const checks = {
  "a fused sync pipeline computes and closes its source": () => {
    const closed = { done: false };
    const total = pipe(
      naturals(closed),
      map((x: number) => x * 10),
      filter((x: number) => x % 20 === 0),
      take(3),
      reduce((s: number, x: number) => s + x, 0),
    );
    if (total !== 60 || !closed.done) throw new Error(`total ${total}, closed ${closed.done}`);
  },
  "mapConcurrent keeps order under its bound": async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await pipe(
      [1, 2, 3, 4, 5, 6],
      mapConcurrent(
        async (x: number) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 7 - x));
          inFlight--;
          return x * 2;
        },
        { concurrency: 2 },
      ),
      toArray(),
    );
    if (out.join() !== "2,4,6,8,10,12" || peak > 2) throw new Error(`out ${out}, peak ${peak}`);
  },
  "web streams round-trip": async () => {
    const web = toWeb(pipe([1, 2, 3, 4], chunks(2)));
    const back = await pipe(fromWeb(web), toArray());
    if (JSON.stringify(back) !== "[[1,2],[3,4]]") throw new Error(JSON.stringify(back));
  },
  "parseCsv reads quoted fields and types": () => {
    const rows = pipe(
      parseCsv(['name,qty\n"a, b",2\n', "c,3\n"], { types: { qty: "number" } }),
      toArray(),
    );
    if (JSON.stringify(rows) !== '[{"name":"a, b","qty":2},{"name":"c","qty":3}]') {
      throw new Error(JSON.stringify(rows));
    }
  },
};
