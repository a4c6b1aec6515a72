// Peer of bench_replay_state: the demo's pump and motor state machines (demoRuleSets(): transitions with
// minimum durations, first matching transition wins) in DuckDB SQL over the same samples. Loads the CSV into
// a table first (not timed), then times the query. Prints "changes=<n>" and "seconds=<s>".
//
// How the rules map to SQL:
//  1. per asset, rows in replay order (t, seq); each row carries the last value of every telemetry
//     (last_value IGNORE NULLS), like the engine's variables; NULL compares as false (NaN in muparser);
//  2. per transition, islands (maximal runs of rows where its condition holds) and each island's fire row:
//     the first row with t >= island start + minimum duration;
//  3. a recursive CTE walks the state machine: from the current state and its entry row, the next
//     transition is the earliest fire among islands of transitions leaving that state (ties: list order).
// Where SQL differs: an island that began before the state was entered counts from the entry time
// (the engine resets the pending time on entry); its fire time is entry + minimum, exact only for samples on
// a whole-second grid (true here). Alarms are not computed (the engine raises them too).
import { DuckDBInstance } from "@duckdb/node-api";

const path = process.argv[2];
const instance = await DuckDBInstance.create(":memory:");
const db = await instance.connect();
await db.run(`CREATE TABLE samples AS SELECT * FROM read_csv('${path}', header = true,
  columns = {'asset': 'INTEGER', 'type': 'VARCHAR', 'seq': 'INTEGER', 't': 'BIGINT', 'signal': 'VARCHAR', 'v': 'DOUBLE'})`);
await db.run(`CREATE TABLE rules AS SELECT * FROM (VALUES
  ('pump', 0, 'Off', 'Running', 5), ('pump', 1, '*', 'Off', 10), ('pump', 2, 'Running', 'Degraded', 30),
  ('pump', 3, 'Degraded', 'Running', 30), ('pump', 4, 'Degraded', 'Fault', 60), ('pump', 5, 'Fault', 'Running', 60),
  ('motor', 0, 'Off', 'Running', 5), ('motor', 1, 'Running', 'Off', 10), ('motor', 2, 'Running', 'Fault', 30),
  ('motor', 3, 'Fault', 'Off', 60)) r(type, k, from_state, to_state, min_s)`);

const conditions = {
  pump: ["flow > 20", "flow < 5", "pressure < 3 AND flow > 20", "pressure > 3.3", "pressure < 1.5",
         "pressure > 3.3 AND flow > 20"],
  motor: ["current > 10", "current < 2", "winding > 130", "current < 2 AND winding < 90"],
};
const holds = Object.entries(conditions).flatMap(([type, list]) => list.map((c, k) =>
  `SELECT asset, type, t, seq, rn, ${k} AS k, coalesce(${c}, false) AS holds FROM w WHERE type = '${type}'`))
  .join("\nUNION ALL ");
const last = (name) => `last_value(CASE WHEN signal = '${name}' THEN v END IGNORE NULLS) OVER o`;

// Step 1-2 materialized as a table (inside the timed part), so the recursion only walks the small table.
const prepare = `
CREATE OR REPLACE TEMP TABLE cand AS
WITH w AS (
  SELECT asset, type, t, seq, row_number() OVER o AS rn, ${last("flow")} AS flow,
         ${last("dischargePressure")} AS pressure, ${last("current")} AS current,
         ${last("windingTemperature")} AS winding
  FROM samples WINDOW o AS (PARTITION BY asset ORDER BY t, seq ROWS UNBOUNDED PRECEDING)),
c AS (${holds}),
g AS (SELECT *, sum(CASE WHEN holds THEN 0 ELSE 1 END) OVER (PARTITION BY asset, k ORDER BY rn
        ROWS UNBOUNDED PRECEDING) AS grp FROM c),
isl AS (SELECT asset, type, k, grp, min(rn) AS start_rn, max(rn) AS end_rn, min(t) AS start_t, max(t) AS end_t
        FROM g WHERE holds GROUP BY ALL),
cand AS (SELECT i.asset, i.type, i.k, r.from_state, r.to_state, r.min_s, i.start_rn, i.end_rn, i.start_t, i.end_t,
                min(g.rn) AS fire_rn, min(g.t) AS fire_t
         FROM isl i JOIN rules r USING (type, k)
         JOIN g ON g.asset = i.asset AND g.k = i.k AND g.grp = i.grp AND g.holds AND g.t >= i.start_t + r.min_s
         GROUP BY ALL)
SELECT * FROM cand`;

const query = `
WITH RECURSIVE st AS (
  SELECT DISTINCT asset, type, 'Off' AS state, 0::BIGINT AS e_rn, -1::BIGINT AS e_t, 0 AS n FROM samples
  UNION ALL
  SELECT asset, type, to_state, fire_rn, fire_t, n + 1 FROM (
    SELECT s.asset, s.type, s.n, c.to_state,
           CASE WHEN c.start_rn >= s.e_rn THEN c.fire_rn ELSE s.e_rn + 1 END AS fire_rn,
           CASE WHEN c.start_rn >= s.e_rn THEN c.fire_t ELSE greatest(c.fire_t, s.e_t + c.min_s) END AS fire_t,
           c.k, c.end_t
    FROM st s JOIN cand c ON c.asset = s.asset AND c.end_rn > s.e_rn
      AND (c.from_state = s.state OR (c.from_state = '*' AND c.to_state <> s.state))
    QUALIFY row_number() OVER (PARTITION BY s.asset ORDER BY fire_t, fire_rn, c.k) = 1)
  WHERE fire_t <= end_t)
SELECT count(*) - count(DISTINCT asset) AS changes FROM st`;

const start = process.hrtime.bigint();
await db.run(prepare);
const rows = (await db.runAndReadAll(query)).getRows();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`changes=${rows[0][0]} seconds=${seconds}`);
