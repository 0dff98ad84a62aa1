#!/usr/bin/env python3
"""One hop through the local broker alone: produce -> consume latency at fixed rates (docs/TANSU.md).

The pipeline of `make bench` crosses the broker twice (intake message -> lead-intake, LeadAccepted ->
assignment). This probe measures what one such hop costs with nothing of ours in it: a private Tansu
(memory storage) on 127.0.0.1:$TANSU_PROBE_PORT (default 29092), fresh for each rate, a 6-partition
topic, a producer with our services' settings (idempotent, acks=all, linger.ms=2) posting one message
at a time, open loop, and a consumer with our consumers' fetch.wait.max.ms=10. Latency is the
consumer's receive time minus the message's timestamp (set when it was produced), per message.

    .venv/bin/python deploy/local/tansu-hop-latency.py [RATE ...]     # default 20 200 500 1000

Env: TANSU_PROBE_SECONDS (15 per rate), TANSU_PROBE_FETCH_WAIT_MS (10).
"""
import os
import sys
import threading
import time

from confluent_kafka import Producer

from tansu_probe import BOOTSTRAP, assigned_consumer, cpu_seconds, private_broker

PARTITIONS = 6
SECONDS = float(os.environ.get("TANSU_PROBE_SECONDS", "15"))
FETCH_WAIT_MS = int(os.environ.get("TANSU_PROBE_FETCH_WAIT_MS", "10"))
PAYLOAD = b"x" * 900  # about the size of an intake submission


def percentile(values, fraction):
    return values[min(len(values) - 1, int(len(values) * fraction))]


def consume(consumer, latencies, stop):
    while not stop.is_set():
        message = consumer.poll(0.05)
        if message is None or message.error():
            continue
        received = time.time() * 1000
        _, timestamp = message.timestamp()
        latencies.append(received - timestamp)


def measure(rate):
    with private_broker("hop", PARTITIONS) as broker:
        producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": True, "acks": "all",
                             "linger.ms": 2, "log_level": 3})
        consumer = assigned_consumer("hop", FETCH_WAIT_MS)
        latencies, stop = [], threading.Event()
        reader = threading.Thread(target=consume, args=(consumer, latencies, stop))
        reader.start()
        start_cpu, start = cpu_seconds(broker.pid), time.time()
        sent = 0
        while time.time() - start < SECONDS:
            due = int((time.time() - start) * rate) + 1
            while sent < due:
                producer.produce("hop", key=str(sent), value=PAYLOAD)
                sent += 1
            producer.poll(0)
            time.sleep(min(0.001, max(0.0, start + sent / rate - time.time())))
        producer.flush(10)
        time.sleep(0.5)
        used = cpu_seconds(broker.pid) - start_cpu
        elapsed = time.time() - start
        stop.set()
        reader.join()
        consumer.close()
        values = sorted(latencies)
        if not values:
            print(f"{rate:>6}  nothing consumed", flush=True)
            return
        print(f"{rate:>6}  {sent:>6}  {len(values):>8}  {percentile(values, 0.5):>6.1f}  {percentile(values, 0.95):>6.1f}  "
              f"{percentile(values, 0.99):>6.1f}  {values[-1]:>7.1f}  {used / elapsed * 100:>6.0f}", flush=True)


if __name__ == "__main__":
    rates = [int(arg) for arg in sys.argv[1:]] or [20, 200, 500, 1000]
    print(f"tansu, {PARTITIONS} partitions, producer idempotent acks=all linger.ms=2, consumer fetch.wait.max.ms={FETCH_WAIT_MS}, "
          f"{SECONDS:.0f} s per rate, fresh broker per rate; latency in ms")
    print("  rate    sent  consumed     p50     p95     p99      max  broker CPU % core")
    for rate in rates:
        measure(rate)
