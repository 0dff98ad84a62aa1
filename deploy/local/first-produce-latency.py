#!/usr/bin/env python3
"""How long a new producer holds its first message (docs/BENCHMARKS.md, README "Post a lead").

Starts a private Tansu (memory storage) on 127.0.0.1:$TANSU_PROBE_PORT (default 29092) with a
6-partition topic, then, TRIALS times for each setting, creates a producer with our producers'
settings (acks=all, linger.ms=2; idempotent or not), produces one message at once and one more a
second later, and prints how long each took from produce() to its acknowledgement. librdkafka's
idempotent producer sends nothing before it has a producer id, which it asks for 500 ms after
it starts (and again every 500 ms while no broker connection is up).

    .venv/bin/python deploy/local/first-produce-latency.py [TRIALS]
"""
import statistics
import sys
import time

from confluent_kafka import Producer

from tansu_probe import BOOTSTRAP, private_broker

TRIALS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def acknowledged_in_ms(producer, key):
    """Produces one message and waits for its acknowledgement; returns the time taken in ms."""
    done = []
    sent_at = time.perf_counter()
    producer.produce("probe", key=key, value=b"x" * 800,
                     on_delivery=lambda error, message: done.append((error, time.perf_counter())))
    producer.flush(10)
    if not done:
        raise SystemExit("no acknowledgement within 10 s")
    error, at = done[0]
    if error is not None:
        raise SystemExit(f"produce failed: {error}")
    return (at - sent_at) * 1000


with private_broker("probe", 6):
    print(f"tansu, a new producer per trial, {TRIALS} trials; ms from produce() to acknowledgement")
    print(f"{'idempotent':<11} {'first p50':>10} {'first max':>10} {'1 s later p50':>14} {'1 s later max':>14}")
    for idempotent in (True, False):
        first, later = [], []
        for trial in range(TRIALS):
            producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": idempotent,
                                 "acks": "all", "linger.ms": 2, "log_level": 3})
            first.append(acknowledged_in_ms(producer, f"first-{trial}"))
            time.sleep(1)
            later.append(acknowledged_in_ms(producer, f"later-{trial}"))
            del producer  # closed now: one left alive would log its reconnects once the broker stops
        print(f"{str(idempotent).lower():<11} {statistics.median(first):>10.1f} {max(first):>10.1f} "
              f"{statistics.median(later):>14.1f} {max(later):>14.1f}")
