"""The Daly model of benchmarks/daly.yaml in SimPy, written the straightforward way.

Work is done in 1-hour segments, each followed by a 2-minute checkpoint; a failure of any of the
256 nodes (each an exponential clock of mean 768 h, replaced at once, so the job's failures form a
Poisson process of rate 256/768 per hour) loses the segment in progress and costs a 15-minute
restart, which a failure can interrupt too. Prints the mean wall-clock hours, its standard error
and replications per second, as JSON.

    python daly_simpy.py REPLICATIONS SEED
"""

import json
import math
import random
import sys
import time

import simpy

WORK_HOURS = 1296
NODES = 256
NODE_MTBF_HOURS = 768.0
INTERVAL_HOURS = 1.0
WRITE_HOURS = 2 / 60
RESTART_HOURS = 15 / 60


def replication(rng):
    env = simpy.Environment()
    rate = NODES / NODE_MTBF_HOURS

    def job():
        done = 0
        while done < WORK_HOURS:
            try:
                yield env.timeout(INTERVAL_HOURS)
                # The last segment ends the job: no checkpoint after it.
                if done + 1 < WORK_HOURS:
                    yield env.timeout(WRITE_HOURS)
                done += 1
            except simpy.Interrupt:
                while True:
                    try:
                        yield env.timeout(RESTART_HOURS)
                        break
                    except simpy.Interrupt:
                        continue

    def failures(process):
        while process.is_alive:
            yield env.timeout(rng.expovariate(rate))
            if process.is_alive:
                process.interrupt()

    process = env.process(job())
    env.process(failures(process))
    env.run(until=process)
    return env.now


def main():
    replications = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    start = time.perf_counter()
    values = [replication(rng) for _ in range(replications)]
    seconds = time.perf_counter() - start
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    print(json.dumps({
        "replications": replications,
        "seconds": seconds,
        "replications_per_second": replications / seconds,
        "mean_hours": mean,
        "se_hours": sd / math.sqrt(len(values)),
    }))


if __name__ == "__main__":
    main()
