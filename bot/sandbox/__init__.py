"""The browser sandbox: the real bot against the stand-in, and its page (page/)."""
