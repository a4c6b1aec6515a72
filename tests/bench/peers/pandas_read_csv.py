# Peer of bench_csv_ingest: pandas.read_csv of the same file, the timestamp column parsed to datetime64.
# Prints rows and "seconds=<s>" (time of read_csv only, after pandas is imported).
import sys
import time

import pandas

start = time.perf_counter()
df = pandas.read_csv(sys.argv[1], parse_dates=["timestamp"])
seconds = time.perf_counter() - start
print(f"rows={len(df)} timestamp={df['timestamp'].dtype} seconds={seconds}")
