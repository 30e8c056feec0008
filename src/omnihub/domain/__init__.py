"""Plain types and rules of the conversation model. No I/O lives here."""
