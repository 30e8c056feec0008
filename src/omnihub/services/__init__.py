"""Use cases. Services are the only code that writes to the database and the only emitters of events."""
