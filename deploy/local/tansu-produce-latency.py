#!/usr/bin/env python3
"""Whether Tansu's produce slows down with what its partitions hold, or with the fetches that read
them (docs/TANSU.md).

Starts a private Tansu (memory storage) on 127.0.0.1:$TANSU_PROBE_PORT (default 29092), stores N
messages in a 6-partition topic in requests of at most 4 (nearly one stored batch each, as a
source posting one lead at a time makes them), then produces 200 messages/s one at a time with
our producers' settings (idempotent, acks=all, linger.ms=2) for 10 s, each time once with no
consumer and once while a consumer with our fetch.wait.max.ms=10 reads along. Prints the
acknowledgement's p50/p99 and the broker's CPU. Repeated for each N given (default 0 8000 24000).

    .venv/bin/python deploy/local/tansu-produce-latency.py [N ...]
"""
import statistics
import threading
import time

from confluent_kafka import Producer

from tansu_probe import BOOTSTRAP, assigned_consumer, cpu_seconds, for_each_stored_count, private_broker, store_batches

PARTITIONS = 6
SECONDS = 10
RATE = 200


def acknowledgements(broker):
    """Produces RATE messages/s for SECONDS; returns the acknowledgement times in ms and the broker's CPU in %."""
    latencies = []
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 2, "log_level": 3})

    def delivered(sent_at):
        return lambda error, message: error is None and message.key() != b"warm-up" and latencies.append((time.perf_counter() - sent_at) * 1000)

    producer.produce("probe", key="warm-up", value=b"x")  # the producer id and metadata, not measured
    producer.flush(10)
    start_cpu, start, sent = cpu_seconds(broker.pid), time.time(), 0
    while time.time() - start < SECONDS:
        producer.produce("probe", key=str(sent), value=b"x" * 800, on_delivery=delivered(time.perf_counter()))
        sent += 1
        producer.poll(0)
        pause = start + sent / RATE - time.time()
        if pause > 0:
            time.sleep(pause)
    producer.flush(10)
    used = cpu_seconds(broker.pid) - start_cpu
    return latencies, used / (time.time() - start) * 100


def measure(stored_batches):
    with private_broker("probe", PARTITIONS) as broker:
        store_batches("probe", stored_batches)
        for reading in (False, True):
            stop = threading.Event()
            reader = None
            if reading:
                consumer = assigned_consumer("probe", 10)

                def read():
                    while not stop.is_set():
                        consumer.poll(0.05)
                    consumer.close()
                reader = threading.Thread(target=read)
                reader.start()
            latencies, cpu = acknowledgements(broker)
            stop.set()
            if reader:
                reader.join()
            quantiles = statistics.quantiles(latencies, n=100)
            print(f"{stored_batches:>14}  {'yes' if reading else 'no':>8}  {quantiles[49]:>8.1f}  {quantiles[98]:>8.1f}  {cpu:>16.0f}", flush=True)


if __name__ == "__main__":
    for_each_stored_count(measure, f"tansu {PARTITIONS} partitions, {RATE} messages/s produced one at a time, {SECONDS} s per row",
                          "stored batches  consumer  p50 ms    p99 ms    broker CPU % core")
