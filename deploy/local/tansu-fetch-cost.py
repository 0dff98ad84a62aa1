#!/usr/bin/env python3
"""How Tansu's fetch cost grows with the batches a partition holds (docs/TANSU.md).

Starts a private Tansu (memory storage) on 127.0.0.1:$TANSU_PROBE_PORT (default 29092), stores N
messages in a 6-partition topic in requests of at most 4, so nearly one stored batch each (as a
source posting one lead at a time makes them), then consumes ~100 messages/s with
fetch.wait.max.ms=10 (our consumers' setting) for 10 s and prints the broker's CPU. Repeated for
each N given (default 0 8000 24000).

    .venv/bin/python deploy/local/tansu-fetch-cost.py [N ...]
"""
import time

from confluent_kafka import Producer

from tansu_probe import BOOTSTRAP, assigned_consumer, cpu_seconds, for_each_stored_count, private_broker, store_batches

PARTITIONS = 6
SECONDS = 10


def measure(stored_batches):
    with private_broker("probe", PARTITIONS) as broker:
        store_batches("probe", stored_batches)
        producer = Producer({"bootstrap.servers": BOOTSTRAP, "linger.ms": 0, "acks": "all", "log_level": 3})
        consumer = assigned_consumer("probe", 10)
        start_cpu, start, sent, received = cpu_seconds(broker.pid), time.time(), 0, 0
        while time.time() - start < SECONDS:
            producer.produce("probe", key=str(sent), value=b"x" * 800)
            sent += 1
            producer.poll(0)
            until = time.time() + 0.01
            while time.time() < until:
                message = consumer.poll(0.005)
                if message is not None and not message.error():
                    received += 1
        used = cpu_seconds(broker.pid) - start_cpu
        elapsed = time.time() - start
        print(f"{stored_batches:>14}  {used / elapsed * 100:>16.0f}  {sent / elapsed:>10.0f}  {received:>8}", flush=True)
        consumer.close()
        producer.flush(5)


if __name__ == "__main__":
    for_each_stored_count(measure, f"tansu {PARTITIONS} partitions, consumer fetch.wait.max.ms=10, {SECONDS} s per row",
                          "stored batches  broker CPU % core  produced/s  consumed")
