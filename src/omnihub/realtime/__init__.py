"""Real time: sequencing the event log, reading it on every node, and the agents' WebSocket gateway."""
