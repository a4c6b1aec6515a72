# Peer of bench_des_mm1: the same M/M/1 model in SimPy 2.3.1 (Debian python3-simpy, the classic
# Process/activate/hold/request/release API). Usage: mm1_simpy.py LAMBDA MU CUSTOMERS SEED
# Prints customers, the mean time in system and "seconds=<s>" (model setup + simulate, after the import).
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate


class Customer(Process):
    def visit(self, server, mu, stats):
        arrived = now()
        yield request, self, server
        yield hold, self, random.expovariate(mu)
        yield release, self, server
        stats[0] += 1
        stats[1] += now() - arrived


class Source(Process):
    def generate(self, customers, lam, mu, server, stats):
        for _ in range(customers):
            c = Customer()
            activate(c, c.visit(server, mu, stats))
            yield hold, self, random.expovariate(lam)


def main():
    lam, mu, customers, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    random.seed(seed)
    start = time.perf_counter()
    initialize()
    server = Resource(capacity=1)
    stats = [0, 0.0]
    source = Source()
    activate(source, source.generate(customers, lam, mu, server, stats))
    simulate(until=1e300)
    seconds = time.perf_counter() - start
    print(f"customers={stats[0]} meanW={stats[1] / max(stats[0], 1):.4f} seconds={seconds}")


main()
