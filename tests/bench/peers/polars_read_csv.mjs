// Peer of bench_csv_ingest: nodejs-polars readCSV of the same file, timestamps parsed to datetimes.
// Prints rows and "seconds=<s>" (time of readCSV only, after the module is loaded).
import pl from "nodejs-polars";

const path = process.argv[2];
const start = process.hrtime.bigint();
const df = pl.readCSV(path, { tryParseDates: true });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`rows=${df.height} timestamp=${df.getColumn("timestamp").dtype} seconds=${seconds}`);
