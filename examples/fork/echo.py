# A fork child in Python: answers each message with {"echo": message}.
import json, os

channel = int(os.environ["NODE_CHANNEL_FD"])
with open(channel, "rb") as incoming, open(os.dup(channel), "wb", buffering=0) as outgoing:
    for line in incoming:  # one JSON value per line
        message = json.loads(line)
        outgoing.write(json.dumps({"echo": message}).encode() + b"\n")
