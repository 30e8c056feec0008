"""Background work: the outbox deliverer (and, with the e-mail channel, mailbox pollers)."""
